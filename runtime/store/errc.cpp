#include "synod/store/errc.hpp"

namespace synod::store {
namespace {

std::string_view store_code_name(int code) noexcept {
  switch (static_cast<errc>(code)) {
    case errc::io_error: return "io_error";
    case errc::corrupt: return "corrupt";
    case errc::wrong_chain: return "wrong_chain";
    case errc::not_initialised: return "not_initialised";
    case errc::already_initialised: return "already_initialised";
    case errc::not_next: return "not_next";
  }
  return "unknown";
}

constexpr error_domain store_domain{"store", &store_code_name};

}  // namespace

const error_domain& error_domain_of(errc) noexcept { return store_domain; }

}  // namespace synod::store
