#include "synod/net/errc.hpp"

namespace synod::net {
namespace {

std::string_view net_code_name(int code) noexcept {
  switch (static_cast<errc>(code)) {
    case errc::malformed: return "malformed";
    case errc::too_large: return "too_large";
    case errc::timeout: return "timeout";
    case errc::unavailable: return "unavailable";
    case errc::bind_failed: return "bind_failed";
    case errc::handler_failed: return "handler_failed";
    case errc::not_local: return "not_local";
  }
  return "unknown";
}

constexpr error_domain net_domain{"net", &net_code_name};

}  // namespace

const error_domain& error_domain_of(errc) noexcept { return net_domain; }

}  // namespace synod::net
