#include "vector_math.hpp"

#include "csr.hpp"

namespace synod::consensus::detail {

i32f32 sum(std::span<const i32f32> v) noexcept {
  i32f32 s;
  for (i32f32 x : v) s = s + x;
  return s;
}

void normalize(fixed_vector& v) noexcept {
  i32f32 s;
  bool non_negative = true;
  for (i32f32 x : v) {
    s = s + x;
    non_negative = non_negative && x >= i32f32{};
  }
  if (s == i32f32{}) return;
  // Non-negative values summing to at most 1.0 (stakes, ranks, dividends: every call on chain)
  // are each at most the sum, and share_divider divides them in two multiplications.
  if (non_negative && share_divider::fits(static_cast<std::uint64_t>(s.raw()))) {
    const share_divider d(static_cast<std::uint64_t>(s.raw()));
    for (i32f32& x : v) x = i32f32::from_raw(static_cast<std::int64_t>(d.div(static_cast<std::uint64_t>(x.raw()))));
    return;
  }
  const divider d(s);
  for (i32f32& x : v) x = d.div(x);
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
  for (std::size_t i = 0; i < raws.size(); ++i) out[i] = i32f32::from_raw(static_cast<std::int64_t>(d.div(raws[i])));
}

}  // namespace synod::consensus::detail
