#pragma once
// The epoch's working matrices in compressed rows, and exact division by a reused divisor.
// Internal to the component. One allocation per matrix instead of one per row, and the uids
// apart from the values, so the passes over millions of weights stream through memory.

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "synod/consensus/fixed.hpp"
#include "vector_math.hpp"

namespace synod::consensus::detail {

/// Rows of (uid, value) entries, each row ascending by uid: row i is [start[i], start[i + 1]).
struct csr {
  std::vector<std::size_t> start{0};
  std::vector<std::uint16_t> uid;
  std::vector<i32f32> value;

  [[nodiscard]] std::size_t rows() const noexcept { return start.size() - 1; }
  [[nodiscard]] std::size_t begin(std::size_t i) const noexcept { return start[i]; }
  [[nodiscard]] std::size_t end(std::size_t i) const noexcept { return start[i + 1]; }
  /// Empties the matrix, keeping its memory for the next one.
  void clear() noexcept {
    start.assign(1, 0);
    uid.clear();
    value.clear();
  }
  void reserve(std::size_t rows, std::size_t entries) {
    start.reserve(rows + 1);
    uid.reserve(entries);
    value.reserve(entries);
  }
  /// Readies `rows` rows of at most `entries` entries for writing through pointers: the entries
  /// only grown, never cut (rows are read through start alone, and a vector cut and regrown
  /// every epoch would clear the regrown part every time), start sized with start[0] = 0.
  void size_for(std::size_t rows, std::size_t entries) {
    if (uid.size() < entries) {
      uid.resize(entries);
      value.resize(entries);
    }
    start.resize(rows + 1);
    start[0] = 0;
  }
  /// Writes the rows `rows` (ascending) one after another from entry 0, each by write(i, at)
  /// returning its end, and sets every start: the rows between are empty. start must hold
  /// n + 1 entries (size_for).
  template <class Write>
  void write_rows(std::span<const std::uint32_t> rows, Write write) {
    std::size_t at = 0, next = 0;  // rows below next have their end
    for (std::uint32_t i : rows) {
      std::fill(start.begin() + next + 1, start.begin() + i + 1, at);
      next = i + 1;
      at = write(i, at);
      start[i + 1] = at;
    }
    std::fill(start.begin() + next + 1, start.end(), at);
  }
  void push(std::uint16_t u, i32f32 v) {
    uid.push_back(u);
    value.push_back(v);
  }
  /// Closes the row being pushed; sorts it by uid when it arrived out of order.
  void end_row();
  /// Sorts entries [b, e) by uid unless they are in order already.
  void sort_row(std::size_t b, std::size_t e);
};

/// safe_div(a, d) for one divisor and many dividends, bit for bit, with a multiplication by a
/// precomputed reciprocal and an exact correction instead of a hardware division.
class divider {
 public:
  divider() = default;
  explicit divider(i32f32 d) noexcept;
  [[nodiscard]] i32f32 div(i32f32 a) const noexcept {
    const std::int64_t x = a.raw();
    if (mode_ == mode::whole && x >= 0) return i32f32::from_raw(static_cast<std::int64_t>(quot(static_cast<std::uint64_t>(x))));
    if (mode_ == mode::frac && x >= 0 && x < (std::int64_t{1} << 32)) {
      const std::uint64_t q = quot(static_cast<std::uint64_t>(x) << 32);
      return q > static_cast<std::uint64_t>(INT64_MAX) ? i32f32{} : i32f32::from_raw(static_cast<std::int64_t>(q));
    }
    return safe_div(a, d_);
  }
  /// Like col_normalize: a divisor of 0 leaves the value as it is.
  [[nodiscard]] i32f32 div_or_keep(i32f32 a) const noexcept { return d_ == i32f32{} ? a : div(a); }

 private:
  enum class mode : std::uint8_t { generic, whole, frac };
  // floor(n / m_div): the estimate is at most two below the quotient, never above.
  [[nodiscard]] std::uint64_t quot(std::uint64_t n) const noexcept {
    std::uint64_t q = static_cast<std::uint64_t>((static_cast<u128>(n) * magic_) >> 64);
    std::uint64_t r = n - q * m_div_;
    // Two conditional steps, not a loop: the corrections do not predict well as branches.
    const bool one = r >= m_div_;
    q += one;
    r -= one ? m_div_ : 0;
    q += r >= m_div_;
    return q;
  }
  i32f32 d_;
  std::uint64_t m_div_ = 1, magic_ = ~std::uint64_t{0};
  mode mode_ = mode::generic;
};

/// safe_div(x, d) for a proportion x in [0, 1] (raw [0, 2^32]) and d >= 0, with d == 0 leaving
/// x as it is (div_or_keep): a multiplication by a reciprocal and a shift, exact with no
/// correction step. With 2^(L-1) <= d < 2^L, k >= 32 + L and M = ceil(2^(32+k) / d),
/// x * M / 2^k exceeds x * 2^32 / d by x * (M * d - 2^(32+k)) / (d * 2^k), less than 1/d
/// because x <= 2^32 and M * d - 2^(32+k) < d; a quotient's fraction is at most 1 - 1/d, so
/// the floors agree (Granlund and Montgomery's argument). Divisors up to 2^32 (every sum of
/// proportions the epoch divides by) take k = 64: the quotient is x * (M >> 64) plus the high
/// word of x * (M mod 2^64), with no 128-bit shift; larger ones take k = 32 + L. Quotients past
/// INT64_MAX give 0, as safe_div's do. Negative divisors are outside its contract.
class proportion_divider {
 public:
  proportion_divider() = default;
  /// Inline for its first test: most columns of a sparse subnet have nothing to divide by.
  explicit proportion_divider(std::int64_t d) noexcept {
    if (d > 0) set(d);  // 0: keep (negatives are outside the contract)
  }
  [[nodiscard]] std::int64_t div(std::uint64_t x) const noexcept {
    const std::uint64_t q = quotient(x, m_lo_, m_hi_, k_ - 64);
    return q > static_cast<std::uint64_t>(INT64_MAX) ? 0 : static_cast<std::int64_t>(q);
  }
  /// div(x) before its INT64_MAX test, from the three words store() writes (M's two and
  /// k - 64), for loops that keep them by column. At most 2^32 for x at most the divisor.
  [[nodiscard]] static std::uint64_t quotient(std::uint64_t x, std::uint64_t lo, std::uint64_t hi,
                                              std::uint64_t shift) noexcept {
    // x * M < 2^98, and k >= 64: the quotient is the high word of x * M shifted by k - 64 (0
    // for divisors up to 2^32). One formula for both kinds, without a branch: a subnet's
    // columns mix them in no order a predictor learns. Below 2^64 but for d = 1 and x = 2^32,
    // where it wraps to 0: the answer there too.
    return (x * hi + static_cast<std::uint64_t>((static_cast<u128>(x) * lo) >> 64)) >> shift;
  }
  /// Writes M's two words and k - 64 at words[0..2], as quotient() and the kernels read them.
  void store(std::uint64_t* words) const noexcept {
    words[0] = m_lo_;
    words[1] = m_hi_;
    words[2] = k_ - 64;
  }

 private:
  void set(std::int64_t d) noexcept;
  std::uint64_t m_lo_ = 0;  // M = m_hi_ * 2^64 + m_lo_; d == 0: M = 2^64, k = 64, x unchanged
  std::uint64_t m_hi_ = 1;
  std::uint32_t k_ = 64;
};

/// safe_div(x, d) for 0 <= x <= d <= 2^34 (d == 0 keeps x, as div_or_keep), in 16 bytes, for
/// the shares of the fast paths: column shares, normalizations, the emission split (whose sum
/// of two normalized vectors passes 2^32). The quotient is at most 2^32, so it needs no
/// overflow test. By proportion_divider's argument with k = 68: M = ceil(2^100 / d) and
/// x * (M * d - 2^100) < d * d <= 2^68; floor(x * M / 2^68) is the high word of x * (M mod
/// 2^64), plus x * (M >> 64), shifted right by 4 (nested floors).
class share_divider {
 public:
  share_divider() = default;
  /// Precondition: 0 <= d <= 2^34 (fits() says whether a value may be given).
  explicit share_divider(std::uint64_t d) noexcept {
    if (d > 0) set(d);
  }
  static constexpr bool fits(std::uint64_t d) noexcept { return d <= (std::uint64_t{1} << 34); }
  [[nodiscard]] std::uint64_t div(std::uint64_t x) const noexcept { return div(x, m_hi_, m_lo_); }
  /// div(x) from M's two words (magic_hi, magic_lo), for loops that keep them by column.
  [[nodiscard]] static std::uint64_t div(std::uint64_t x, std::uint64_t hi, std::uint64_t lo) noexcept {
    // x * hi <= x * 2^36 / d + x: far below 2^64 for x <= d.
    return (x * hi + static_cast<std::uint64_t>((static_cast<u128>(x) * lo) >> 64)) >> 4;
  }
  /// M's two words, for loops that divide a row of values by one divider per column.
  [[nodiscard]] std::uint64_t magic_hi() const noexcept { return m_hi_; }
  [[nodiscard]] std::uint64_t magic_lo() const noexcept { return m_lo_; }

 private:
  void set(std::uint64_t d) noexcept;
  std::uint64_t m_lo_ = 0;  // M = m_hi_ * 2^64 + m_lo_; d == 0: M = 2^68, x unchanged
  std::uint64_t m_hi_ = 16;
};

/// safe_div(1, d) for d > 0 without a 128-bit division: 2^64 / d, 0 when it passes int64.
inline i32f32 one_over(i32f32 d) noexcept {
  const auto x = static_cast<std::uint64_t>(d.raw());
  if (x <= 2) return i32f32{};  // 2^64 / x >= 2^63
  const bool power_of_two = (x & (x - 1)) == 0;  // then 2^64 / x is exact, one past (2^64-1) / x
  return i32f32::from_raw(static_cast<std::int64_t>(~std::uint64_t{0} / x + power_of_two));
}

/// Each x replaced by exp_safe(x), several at a time.
void exp_safe_all(std::span<i32f32> xs) noexcept;

/// One divider per value: col_normalize's sums or col_max_upscale's maxima.
std::vector<divider> dividers(std::span<const i32f32> d);
/// Per column the saturating sum of the entries (in row order).
std::vector<i32f32> col_sums(const csr& m, std::size_t n);
/// A score with its voter's stake (the median's gather when scores are not all proportions).
struct scored {
  std::int64_t value;
  std::int64_t stake;
};

/// column_medians' working memory, kept by the caller from one epoch to the next.
struct median_scratch {
  fixed_vector voter_stakes;
  std::vector<std::int64_t> stake;  // by voter: re-normalized stakes, and a slot for the zeros
  std::int64_t total = 0;           // their sum
  std::vector<std::size_t> voting_rows, cursor;
  std::vector<std::uint32_t> count;
  std::vector<std::uint32_t> gathered;  // the columns gathered, ascending
  std::vector<std::uint32_t> chosen;    // choose_columns' scratch for it
  std::vector<std::uint32_t> slot;      // per column its place there plus 1, or 0 (set every call)
  std::vector<std::uint32_t> columns;   // per gathered column, after a spare: where its next score goes
  std::vector<std::uint64_t> packed, packed_picked;  // the gathered scores; select's survivors
  std::vector<scored> wide, wide_picked;
  std::vector<std::int64_t> rank_stake;  // by voter: the stakes as given (not re-normalized), then 0
};

/// Consensus of every column 0..n-1 (weighted_median_columns on compressed rows) into `out`,
/// which holds n zeros on entry (the caller clears it: an epoch clears only its last columns).
/// `counts`, when given (n + 1 long), holds per column the non-zero weights of the rows with
/// stake > 0, which it would otherwise count itself. `staked`, when given, lists (ascending)
/// the only rows whose stake may be above 0. After the call, scratch.gathered lists the only
/// columns whose consensus may be other than 0.
///
/// `ranks`, when given (n long, all 0), receives for the columns in scratch.gathered
/// §2.6's rank: the sum over the column's scores x of floor(stake * min(C, x)), with the stakes
/// as given. It is taken from the gathered lists while they are at hand, and only when every
/// score and stake lies in [0, 1]; returns whether it was.
bool column_medians(std::span<const i32f32> stake, const csr& weights, std::size_t n, i32f32 kappa,
                    std::span<const std::uint32_t> counts, median_scratch& scratch, std::vector<i32f32>& out,
                    const std::vector<std::uint32_t>* staked = nullptr, std::uint64_t* ranks = nullptr);
/// The same with scratch memory of its own.
std::vector<i32f32> column_medians(std::span<const i32f32> stake, const csr& weights, std::size_t n, i32f32 kappa);

}  // namespace synod::consensus::detail
