#include "csr.hpp"

#include <algorithm>
#include <bit>
#include <tuple>
#include <utility>

#include "wide.hpp"

namespace synod::consensus::detail {

void csr::end_row() {
  sort_row(start.back(), uid.size());
  start.push_back(uid.size());
}

void csr::sort_row(std::size_t b, std::size_t e) {
  const auto first = uid.begin() + static_cast<std::ptrdiff_t>(b), last = uid.begin() + static_cast<std::ptrdiff_t>(e);
  if (!std::is_sorted(first, last)) {
    std::vector<std::pair<std::uint16_t, i32f32>> row;
    row.reserve(e - b);
    for (std::size_t k = b; k < e; ++k) row.emplace_back(uid[k], value[k]);
    std::sort(row.begin(), row.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (std::size_t k = b; k < e; ++k) std::tie(uid[k], value[k]) = row[k - b];
  }
}

namespace {

// ceil(2^e / d) for 64 <= e <= 127 and d > 0, whose quotient fits 128 bits: two 64-bit
// divisions (2^e = 2^(e-64) * 2^64; the second divides remainder * 2^64, whose quotient fits
// 64 bits as the remainder is below d). The library's 128-bit division took several times as
// long, once or twice per column of every epoch.
u128 ceil_pow2_over(unsigned e, std::uint64_t d) noexcept {
  const std::uint64_t top = std::uint64_t{1} << (e - 64);
  const std::uint64_t hi = top / d, r = top % d;
  const quotient64 low = divide_128_by_64(r, 0, d);
  return (static_cast<u128>(hi) << 64) + low.quotient + (low.remainder != 0);
}

}  // namespace

divider::divider(i32f32 d) noexcept : d_(d) {
  const std::int64_t raw = d.raw();
  if (raw <= 0) return;  // 0 and negative divisors take safe_div itself
  constexpr std::int64_t low = (std::int64_t{1} << 32) - 1;
  // d = D << 32: (a << 32) / d is a / D for every a >= 0, a 64-bit quotient.
  mode_ = (raw & low) == 0 ? mode::whole : mode::frac;
  m_div_ = mode_ == mode::whole ? static_cast<std::uint64_t>(raw) >> 32 : static_cast<std::uint64_t>(raw);
  magic_ = ~std::uint64_t{0} / m_div_;
}

void proportion_divider::set(std::int64_t d) noexcept {
  const auto ud = static_cast<std::uint64_t>(d);
  if (ud <= (std::uint64_t{1} << 32)) {  // k = 64: M = ceil(2^96 / d) < 2^96 + 1
    const u128 m = ceil_pow2_over(96, ud);
    m_lo_ = static_cast<std::uint64_t>(m);
    m_hi_ = static_cast<std::uint64_t>(m >> 64);
    k_ = 64;
    return;
  }
  const auto l = static_cast<std::uint32_t>(std::bit_width(ud));
  const u128 m = ceil_pow2_over(64 + l, ud);  // 64 + l <= 127
  m_lo_ = static_cast<std::uint64_t>(m);
  m_hi_ = static_cast<std::uint64_t>(m >> 64);  // 1, or 2 for a power of two (M = 2^65)
  k_ = 32 + l;
}

void share_divider::set(std::uint64_t d) noexcept {
  const u128 m = ceil_pow2_over(100, d);
  m_lo_ = static_cast<std::uint64_t>(m);
  m_hi_ = static_cast<std::uint64_t>(m >> 64);
}

std::vector<divider> dividers(std::span<const i32f32> d) {
  std::vector<divider> out;
  out.reserve(d.size());
  for (i32f32 x : d) out.emplace_back(x);
  return out;
}

std::vector<i32f32> col_sums(const csr& m, std::size_t n) {
  std::vector<i32f32> sums(n);
  for (std::size_t k = 0; k < m.uid.size(); ++k) sums[m.uid[k]] = sums[m.uid[k]] + m.value[k];
  return sums;
}

}  // namespace synod::consensus::detail
