#include "synod/base/error.hpp"

namespace synod {

std::string error::to_string() const {
  std::string out;
  out.reserve(domain_->name.size() + message_.size() + 24);
  out.append(domain_->name).append(".").append(code_name());
  if (!message_.empty()) out.append(": ").append(message_);
  return out;
}

error error::with_context(std::string_view context) const {
  error copy = *this;
  copy.message_ = std::string(context) + ": " + message_;
  return copy;
}

}  // namespace synod
