#pragma once
// Private to the wallet component: a buffer holding secret bytes (a seed, its hex) that is
// zeroed when it goes out of scope, so key material does not linger in freed heap memory.

#include <sodium/utils.h>

#include <utility>

namespace synod::wallet::detail {

/// `T` is a contiguous container of bytes or chars (std::vector<std::uint8_t>, std::string).
template <class T>
struct wiped {
  T value;

  wiped(T v) : value(std::move(v)) {}  // NOLINT: implicit, to wrap a returned buffer
  wiped(const wiped&) = delete;
  wiped& operator=(const wiped&) = delete;
  ~wiped() { sodium_memzero(value.data(), value.size()); }
};

}  // namespace synod::wallet::detail
