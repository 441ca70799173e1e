#pragma once
/// synod::result<T>: the value of a fallible call or the synod::error that says why not.
/// GCC 12 has no std::expected in C++20, so this is the project's own small version.

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

#include "synod/base/error.hpp"

namespace synod {

template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  result(synod::error err) : v_(std::in_place_index<1>, std::move(err)) {}  // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  /// Precondition: has_value().
  T& value() & { assert(has_value()); return std::get<0>(v_); }
  const T& value() const& { assert(has_value()); return std::get<0>(v_); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  /// Precondition: !has_value().
  [[nodiscard]] const synod::error& error() const& { assert(!has_value()); return std::get<1>(v_); }
  [[nodiscard]] synod::error&& error() && { assert(!has_value()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, synod::error> v_;
};

/// result<void>: success or an error.
template <>
class [[nodiscard]] result<void> {
 public:
  result() = default;
  result(synod::error err) : err_(std::move(err)) {}  // NOLINT: implicit by design

  [[nodiscard]] bool has_value() const noexcept { return !err_.has_value(); }
  explicit operator bool() const noexcept { return has_value(); }
  [[nodiscard]] const synod::error& error() const& { assert(err_); return *err_; }
  [[nodiscard]] synod::error&& error() && { assert(err_); return std::move(*err_); }

 private:
  std::optional<synod::error> err_;
};

using status = result<void>;

inline status ok() { return {}; }

}  // namespace synod

/// Evaluates `expr` (a result); on error returns that error from the enclosing function.
#define SYNOD_TRY(expr)                                   \
  do {                                                    \
    if (auto synod_try_r_ = (expr); !synod_try_r_)        \
      return std::move(synod_try_r_).error();             \
  } while (false)
