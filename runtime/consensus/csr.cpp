#include "csr.hpp"

#include <algorithm>
#include <tuple>
#include <utility>

namespace synod::consensus::detail {

void csr::end_row() {
  const std::size_t b = start.back(), e = uid.size();
  if (!std::is_sorted(uid.begin() + static_cast<std::ptrdiff_t>(b), uid.end())) {
    std::vector<std::pair<std::uint16_t, i32f32>> row;
    row.reserve(e - b);
    for (std::size_t k = b; k < e; ++k) row.emplace_back(uid[k], value[k]);
    std::sort(row.begin(), row.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    for (std::size_t k = b; k < e; ++k) std::tie(uid[k], value[k]) = row[k - b];
  }
  start.push_back(e);
}

divider::divider(i32f32 d) noexcept : d_(d) {
  const std::int64_t raw = d.raw();
  if (raw <= 0) return;  // 0 and negative divisors take safe_div itself
  constexpr std::int64_t low = (std::int64_t{1} << 32) - 1;
  // d = D << 32: (a << 32) / d is a / D for every a >= 0, a 64-bit quotient.
  mode_ = (raw & low) == 0 ? mode::whole : mode::frac;
  m_div_ = mode_ == mode::whole ? static_cast<std::uint64_t>(raw) >> 32 : static_cast<std::uint64_t>(raw);
  magic_ = ~std::uint64_t{0} / m_div_;
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

csr ema_rows(const csr& fresh, const csr& old, i32f32 alpha, std::vector<i32f32>& sums,
             std::span<const divider> fresh_div, std::span<const divider> old_div) {
  auto fresh_at = [&](std::size_t k) {
    return fresh_div.empty() ? fresh.value[k] : fresh_div[fresh.uid[k]].div_or_keep(fresh.value[k]);
  };
  auto old_at = [&](std::size_t k) {
    return old_div.empty() ? old.value[k] : old_div[old.uid[k]].div_or_keep(old.value[k]);
  };
  const i32f32 keep = i32f32::one() - alpha;
  csr out;
  out.reserve(fresh.rows(), fresh.uid.size() + old.uid.size());
  for (std::size_t i = 0; i < fresh.rows(); ++i) {
    std::size_t f = fresh.begin(i), fe = fresh.end(i), o = old.begin(i), oe = old.end(i);
    while (f != fe || o != oe) {
      const std::uint16_t u =
          o == oe || (f != fe && fresh.uid[f] < old.uid[o]) ? fresh.uid[f] : old.uid[o];
      i32f32 acc;  // each product floored before the sum, as the chain's sparse EMA does
      if (f != fe && fresh.uid[f] == u) acc = acc + alpha * fresh_at(f++);
      if (o != oe && old.uid[o] == u) acc = acc + keep * old_at(o++);
      if (acc > i32f32{}) {
        out.push(u, acc);
        sums[u] = sums[u] + acc;
      }
    }
    out.start.push_back(out.uid.size());
  }
  return out;
}

}  // namespace synod::consensus::detail
