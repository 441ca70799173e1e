#pragma once
/// synod::error: a code from one component's closed enum plus a message that names the object.
///
/// Each component declares `enum class errc` and, in the same namespace, a function
/// `const synod::error_domain& error_domain_of(errc) noexcept` (found by ADL) that names the
/// component and its codes. Errors compare by (domain, code); the message is for people.

#include <concepts>
#include <string>
#include <string_view>

namespace synod {

/// Names one component's error enum: "crypto", and a printable name for every code.
struct error_domain {
  std::string_view name;
  std::string_view (*code_name)(int code) noexcept;
};

template <class E>
concept error_enum = std::is_enum_v<E> && requires(E e) {
  { error_domain_of(e) } -> std::same_as<const error_domain&>;
};

class error {
 public:
  template <error_enum E>
  error(E code, std::string message)
      : domain_(&error_domain_of(code)), code_(static_cast<int>(code)),
        message_(std::move(message)) {}

  /// True when this error carries exactly `code` of its component.
  template <error_enum E>
  [[nodiscard]] bool is(E code) const noexcept {
    return domain_ == &error_domain_of(code) && code_ == static_cast<int>(code);
  }

  [[nodiscard]] const error_domain& domain() const noexcept { return *domain_; }
  [[nodiscard]] int code() const noexcept { return code_; }
  [[nodiscard]] std::string_view code_name() const noexcept { return domain_->code_name(code_); }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

  /// "crypto.bad_signature: signature does not verify for key 5Fh...".
  [[nodiscard]] std::string to_string() const;

  /// Same error with `context + ": "` put before the message; the code is kept.
  [[nodiscard]] error with_context(std::string_view context) const;

 private:
  const error_domain* domain_;
  int code_;
  std::string message_;
};

}  // namespace synod
