#include "cli_errc.hpp"

namespace synod::app {
namespace {

std::string_view cli_code_name(int code) noexcept {
  switch (static_cast<errc>(code)) {
    case errc::no_password: return "no_password";
    case errc::password_mismatch: return "password_mismatch";
    case errc::empty_password: return "empty_password";
    case errc::unreadable_file: return "unreadable_file";
    case errc::no_wallet_path: return "no_wallet_path";
    case errc::bad_flag: return "bad_flag";
  }
  return "unknown";
}

constexpr error_domain cli_domain{"cli", &cli_code_name};

}  // namespace

const error_domain& error_domain_of(errc) noexcept { return cli_domain; }

}  // namespace synod::app
