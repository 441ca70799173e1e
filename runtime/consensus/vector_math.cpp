#include "vector_math.hpp"

#include "csr.hpp"

namespace synod::consensus::detail {

i32f32 sum(std::span<const i32f32> v) noexcept {
  i32f32 s;
  for (i32f32 x : v) s = s + x;
  return s;
}

namespace {

// normalize over the values each(f) hands to f by index (every one, or a list): the others
// must be 0, which add nothing to the sum (exact or saturating) and stay 0.
template <class Each>
void normalize_each(i32f32* x, Each each) noexcept {
  // The saturating fold of non-negative values only grows: it is the exact sum, capped. So one
  // pass sums exactly and ORs the signs, and only a negative value brings back the fold.
  u128 exact = 0;
  std::int64_t signs = 0;
  each([&](std::size_t i) {
    exact += static_cast<std::uint64_t>(x[i].raw());
    signs |= x[i].raw();
  });
  const bool non_negative = signs >= 0;
  i32f32 s = exact > static_cast<u128>(INT64_MAX) ? i32f32::from_raw(INT64_MAX)
                                                  : i32f32::from_raw(static_cast<std::int64_t>(exact));
  if (!non_negative) {
    s = i32f32{};
    each([&](std::size_t i) { s = s + x[i]; });
  }
  if (s == i32f32{}) return;
  // Non-negative values summing to at most 1.0 (stakes, ranks, dividends: every call on chain)
  // are each at most the sum, and share_divider divides them in two multiplications.
  if (non_negative && share_divider::fits(static_cast<std::uint64_t>(s.raw()))) {
    const share_divider d(static_cast<std::uint64_t>(s.raw()));
    each([&](std::size_t i) {  // zeros stay 0 without the multiplications: most of a sparse subnet's
      const auto raw = static_cast<std::uint64_t>(x[i].raw());
      if (raw != 0) x[i] = i32f32::from_raw(static_cast<std::int64_t>(d.div(raw)));
    });
    return;
  }
  const divider d(s);
  each([&](std::size_t i) {
    if (x[i] != i32f32{}) x[i] = d.div(x[i]);  // 0 / s is 0
  });
}

}  // namespace

void normalize(fixed_vector& v) noexcept {
  normalize_each(v.data(), [n = v.size()](auto f) {
    for (std::size_t i = 0; i < n; ++i) f(i);
  });
}

void normalize(fixed_vector& v, std::span<const std::uint32_t> nonzero) noexcept {
  normalize_each(v.data(), [nonzero](auto f) {
    for (std::uint32_t i : nonzero) f(i);
  });
}

void normalize(std::span<const std::uint64_t> raws, fixed_vector& out) {
  std::uint64_t s = 0;  // below 2^63: the raws are non-negative I32F32 values summing without saturation
  for (std::uint64_t x : raws) s += x;
  out.resize(raws.size());
  if (s == 0 || !share_divider::fits(s)) {
    for (std::size_t i = 0; i < raws.size(); ++i) out[i] = i32f32::from_raw(static_cast<std::int64_t>(raws[i]));
    if (s != 0) normalize(out);
    return;
  }
  const share_divider d(s);
  for (std::size_t i = 0; i < raws.size(); ++i)  // zeros stay 0 without the multiplications
    out[i] = i32f32::from_raw(raws[i] == 0 ? 0 : static_cast<std::int64_t>(d.div(raws[i])));
}

void normalize(std::span<const std::uint64_t> raws, std::span<const std::uint32_t> nonzero, fixed_vector& out) {
  std::uint64_t s = 0;
  for (std::uint32_t i : nonzero) s += raws[i];
  if (s == 0) return;  // every listed raw is 0 (an epoch nobody weighted), the others by contract, and `out` too
  if (!share_divider::fits(s)) {
    normalize(raws, out);  // rare: the general case
    return;
  }
  const share_divider d(s);
  for (std::uint32_t i : nonzero) out[i] = i32f32::from_raw(static_cast<std::int64_t>(d.div(raws[i])));
}

}  // namespace synod::consensus::detail
