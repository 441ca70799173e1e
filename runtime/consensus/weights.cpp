#include "synod/consensus/weights.hpp"

#include <algorithm>

#include "synod/consensus/fixed.hpp"

namespace synod::consensus {

std::vector<std::uint16_t> max_upscale(std::span<const std::uint16_t> values) {
  std::vector<std::uint16_t> out;
  if (values.empty()) return out;
  const i32f32 max = i32f32::from_int(*std::max_element(values.begin(), values.end()));
  const i32f32 full = i32f32::from_int(65535);
  out.reserve(values.size());
  for (std::uint16_t v : values) {
    const i32f32 x = i32f32::from_int(v);
    i32f32 r;
    if (max == i32f32{}) {
      r = x * full;
    } else if (max > i32f32::from_int(32768)) {
      // v * 65535 would pass I32F32's 2^31 bound here, so the chain scales by the ratio.
      r = (x * safe_div(full, max)).round();
    } else {
      r = safe_div(x * full, max).round();
    }
    out.push_back(r.saturating_to_u16());
  }
  return out;
}

}  // namespace synod::consensus
