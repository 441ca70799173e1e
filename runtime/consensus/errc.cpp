#include "synod/consensus/errc.hpp"

namespace synod::consensus {
namespace {

std::string_view consensus_code_name(int code) noexcept {
  switch (static_cast<errc>(code)) {
    case errc::bad_input: return "bad_input";
  }
  return "unknown";
}

constexpr error_domain consensus_domain{"consensus", &consensus_code_name};

}  // namespace

const error_domain& error_domain_of(errc) noexcept { return consensus_domain; }

}  // namespace synod::consensus
