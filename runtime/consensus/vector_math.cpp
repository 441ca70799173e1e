#include "vector_math.hpp"

#include <algorithm>

namespace synod::consensus::detail {

i32f32 sum(std::span<const i32f32> v) noexcept {
  i32f32 s;
  for (i32f32 x : v) s = s + x;
  return s;
}

void normalize(fixed_vector& v) noexcept {
  i32f32 s = sum(v);
  if (s == i32f32{}) return;
  for (i32f32& x : v) x = safe_div(x, s);
}

void row_normalize(fixed_matrix& m) noexcept {
  for (fixed_row& row : m) {
    i32f32 s;
    for (const fixed_entry& e : row) s = s + e.value;
    if (s <= i32f32{}) continue;
    for (fixed_entry& e : row) e.value = safe_div(e.value, s);
  }
}

void col_normalize(fixed_matrix& m, std::size_t n) {
  fixed_vector sums(n);
  for (const fixed_row& row : m)
    for (const fixed_entry& e : row) sums[e.uid] = sums[e.uid] + e.value;
  for (fixed_row& row : m)
    for (fixed_entry& e : row)
      if (sums[e.uid] != i32f32{}) e.value = safe_div(e.value, sums[e.uid]);
}

void col_max_upscale(fixed_matrix& m, std::size_t n) {
  fixed_vector maxima(n);
  for (const fixed_row& row : m)
    for (const fixed_entry& e : row) maxima[e.uid] = std::max(maxima[e.uid], e.value);
  for (fixed_row& row : m)
    for (fixed_entry& e : row)
      if (maxima[e.uid] != i32f32{}) e.value = safe_div(e.value, maxima[e.uid]);
}

namespace {

fixed_row ema_row(const fixed_row& fresh, const fixed_row& old, i32f32 alpha) {
  const i32f32 keep = i32f32::one() - alpha;
  fixed_row out;
  out.reserve(fresh.size() + old.size());
  auto f = fresh.begin(), o = old.begin();
  while (f != fresh.end() || o != old.end()) {
    std::uint16_t uid = o == old.end() || (f != fresh.end() && f->uid < o->uid) ? f->uid : o->uid;
    i32f32 acc;  // each product floored before the sum, as the chain's sparse EMA does
    if (f != fresh.end() && f->uid == uid) acc = acc + alpha * (f++)->value;
    if (o != old.end() && o->uid == uid) acc = acc + keep * (o++)->value;
    if (acc > i32f32{}) out.push_back({uid, acc});
  }
  return out;
}

}  // namespace

fixed_matrix ema_rows(const fixed_matrix& fresh, const fixed_matrix& old, i32f32 alpha) {
  fixed_matrix out(fresh.size());
  for (std::size_t i = 0; i < fresh.size(); ++i) out[i] = ema_row(fresh[i], old[i], alpha);
  return out;
}

i32f32 value_at(const fixed_row& row, std::uint16_t uid) noexcept {
  auto it = std::lower_bound(row.begin(), row.end(), uid,
                             [](const fixed_entry& e, std::uint16_t u) { return e.uid < u; });
  return it != row.end() && it->uid == uid ? it->value : i32f32{};
}

}  // namespace synod::consensus::detail
