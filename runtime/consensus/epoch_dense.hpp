#pragma once
// What the dense path's two files share (epoch_dense.cpp: the shape, W, the medians and Yuma 2's
// bonds; epoch_dense_yuma3.cpp: Yuma 3's bonds). Internal to the component.

#include <cstddef>

#include "epoch_dense_kernels.hpp"
#include "epoch_steps.hpp"

namespace synod::consensus::detail::dense {

/// Row i's old bonds by uid into old_row (n values, 0 where it names none or a bond is not
/// kept).
void spread_bonds(const epoch_input& in, const old_bonds& old, std::size_t i, u32* old_row);

/// A share_divider's words for d at index j.
void set_divisor(u64* hi, u64* lo, std::size_t j, u64 d);

/// The matrix rows of the group starting at row r0 (rows a short group lacks point at `zero`)
/// and, for each new permit holder among them, its output bond row sized n as u16_entry words
/// (null: not stored); the caller cuts each to what it holds.
struct share_group {
  const u32* w[dense_group];
  u32* stored[dense_group];
};
share_group group_for_shares(const epoch_state& st, const dense_scratch& d, std::size_t r0, const u32* zero,
                             epoch_output& out);

/// Clears the output bond rows of new permit holders outside the matrix (they hold no bond).
void clear_rowless_bonds(const epoch_state& st, const dense_scratch& d, epoch_output& out);

/// The frame of both share passes: per group of the matrix's rows, kernel(group, dividend,
/// count) gives each row's dividend sum and the count of its stored entries; each row's D is
/// dividend(i, sum), the stored rows are cut, and D is normalized.
template <class Kernel, class Dividend>
void share_groups(epoch_state& st, dense_scratch& d, epoch_output& out, Kernel kernel, Dividend dividend_of) {
  const std::size_t n = st.n, rows = d.rows.size();
  st.dividends.assign(n, i32f32{});
  clear_rowless_bonds(st, d, out);
  const u32* zero_row = d.old_rows.data() + dense_group * n;
  for (std::size_t r0 = 0; r0 < rows; r0 += dense_group) {
    const share_group g = group_for_shares(st, d, r0, zero_row, out);
    u64 dividend[dense_group];
    std::size_t count[dense_group];
    kernel(g, dividend, count);
    for (std::size_t r = 0; r < dense_group && r0 + r < rows; ++r) {
      const u32 i = d.rows[r0 + r];
      st.dividends[i] = dividend_of(i, dividend[r]);
      if (g.stored[r] != nullptr) out.bonds[i].resize(count[r]);
    }
  }
  normalize(st.dividends);
  st.bonds_written = true;
}

/// §2.9-2.10, Yuma 3's bonds over the matrix (liquid alpha, or one EMA rate in [0, 1]), their
/// column sums in d.ema_sums, and each row's trust. False when a bond reached 1.0 (it does not
/// fit the matrix): nothing of the output is written yet.
bool liquid_bonds(const epoch_input& in, epoch_state& st, const old_bonds& old, dense_scratch& d);

/// §2.9's dividends from those bonds, and the stored rows of new permit holders.
void liquid_dividends(epoch_state& st, dense_scratch& d, epoch_output& out);

}  // namespace synod::consensus::detail::dense
