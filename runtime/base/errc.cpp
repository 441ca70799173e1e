#include "synod/base/errc.hpp"

namespace synod {
namespace {

std::string_view base_code_name(int code) noexcept {
  switch (static_cast<errc>(code)) {
    case errc::bad_hex: return "bad_hex";
    case errc::bad_amount: return "bad_amount";
    case errc::overflow: return "overflow";
  }
  return "unknown";
}

constexpr error_domain base_domain{"base", &base_code_name};

}  // namespace

const error_domain& error_domain_of(errc) noexcept { return base_domain; }

}  // namespace synod
