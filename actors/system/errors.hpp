#pragma once
// synod::error -> caf::error: the category atom "synod", code 1 for a rejection (bad input,
// deterministic) and 2 for a fault (I/O; the node stops), and the full text as context.

#include <caf/error.hpp>

#include "synod/base/error.hpp"

namespace synod::actors {

enum class caf_code : std::uint8_t { rejected = 1, fault = 2 };

caf::error to_caf_error(const synod::error& e, caf_code code = caf_code::rejected);

/// The text of a caf::error made by to_caf_error (or CAF's own rendering for others).
std::string describe(const caf::error& e);

}  // namespace synod::actors
