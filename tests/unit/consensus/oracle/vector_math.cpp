#include "vector_math.hpp"

#include "csr.hpp"

namespace synod::consensus::oracle::detail {

i32f32 sum(std::span<const i32f32> v) noexcept {
  i32f32 s;
  for (i32f32 x : v) s = s + x;
  return s;
}

void normalize(fixed_vector& v) noexcept {
  const i32f32 s = sum(v);
  if (s == i32f32{}) return;
  const divider d(s);
  for (i32f32& x : v) x = d.div(x);
}

}  // namespace synod::consensus::oracle::detail
