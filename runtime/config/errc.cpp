#include "synod/config/errc.hpp"

namespace synod::config {
namespace {

std::string_view config_code_name(int code) noexcept {
  switch (static_cast<errc>(code)) {
    case errc::not_found: return "not_found";
    case errc::io_error: return "io_error";
    case errc::too_large: return "too_large";
    case errc::syntax: return "syntax";
    case errc::unknown_key: return "unknown_key";
    case errc::missing_key: return "missing_key";
    case errc::bad_value: return "bad_value";
  }
  return "unknown";
}

constexpr error_domain config_domain{"config", &config_code_name};

}  // namespace

const error_domain& error_domain_of(errc) noexcept { return config_domain; }

}  // namespace synod::config
