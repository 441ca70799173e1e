#include "synod/wallet/errc.hpp"

namespace synod::wallet {
namespace {

std::string_view wallet_code_name(int code) noexcept {
  switch (static_cast<errc>(code)) {
    case errc::not_found: return "not_found";
    case errc::already_exists: return "already_exists";
    case errc::bad_name: return "bad_name";
    case errc::corrupt_file: return "corrupt_file";
    case errc::wrong_password: return "wrong_password";
    case errc::io_error: return "io_error";
  }
  return "unknown";
}

constexpr error_domain wallet_domain{"wallet", &wallet_code_name};

}  // namespace

const error_domain& error_domain_of(errc) noexcept { return wallet_domain; }

}  // namespace synod::wallet
