#pragma once
/// Error codes of the consensus component.

#include "synod/base/error.hpp"

namespace synod::consensus {

enum class errc {
  bad_input = 1,  ///< epoch inputs disagree with each other (vector lengths, duplicate uids)
};

const error_domain& error_domain_of(errc) noexcept;

}  // namespace synod::consensus
