#include "synod/crypto/errc.hpp"

namespace synod::crypto {
namespace {

std::string_view crypto_code_name(int code) noexcept {
  switch (static_cast<errc>(code)) {
    case errc::init_failed: return "init_failed";
    case errc::bad_key: return "bad_key";
    case errc::bad_address: return "bad_address";
    case errc::corrupt_box: return "corrupt_box";
    case errc::wrong_password: return "wrong_password";
    case errc::kdf_failed: return "kdf_failed";
  }
  return "unknown";
}

constexpr error_domain crypto_domain{"crypto", &crypto_code_name};

}  // namespace

const error_domain& error_domain_of(errc) noexcept { return crypto_domain; }

}  // namespace synod::crypto
