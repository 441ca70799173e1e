#include "actors/system/errors.hpp"

#include <caf/atom.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>

namespace synod::actors {

caf::error to_caf_error(const synod::error& e, caf_code code) {
  return caf::error(static_cast<std::uint8_t>(code), caf::atom("synod"), caf::make_message(e.to_string()));
}

std::string describe(const caf::error& e) {
  if (e.category() == caf::atom("synod") && e.context().match_elements<std::string>())
    return e.context().get_as<std::string>(0);
  return caf::to_string(e);
}

}  // namespace synod::actors
