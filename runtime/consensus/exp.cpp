// e^x exactly as substrate-fixed v0.6.0 `transcendental::exp` computes it for I32F32, and
// subtensor's `exp_safe` clamp (subtensor-economics.md §1). Used only by liquid alpha.
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <span>
#include <utility>

#include "csr.hpp"
#include "synod/consensus/fixed.hpp"

namespace synod::consensus {
namespace {

// The library returns its stored constant for exactly 1: e rounded to 32 fractional bits.
constexpr std::int64_t e_raw = 11674931555;

// 1 + x + x^2/2! + ... + x^31/31!, each term from the previous one by a floored multiply
// and a truncating divide, as the library does for x >= 0. The divide by the integer i is
// exactly floor(term * x / i) (both are non-negative), done by multiplication; once a term floors
// to 0 every later term is 0, so the series stops there with the same sum.
// The series' divisors 2..31, each as a divider.
const std::array<detail::divider, 32>& series_divisors() noexcept {
  static const auto by = [] {
    std::array<detail::divider, 32> d{};
    for (std::size_t k = 2; k < d.size(); ++k)
      d[k] = detail::divider(i32f32::from_int(static_cast<std::int64_t>(k)));
    return d;
  }();
  return by;
}

i32f32 taylor(i32f32 x) noexcept {
  const auto& by = series_divisors();
  i32f32 result = x + i32f32::one();
  i32f32 term = x;
  for (std::size_t i = 2; i < 32 && term != i32f32{}; ++i) {
    term = by[i].div(term * x);
    result = result + term;
  }
  return result;
}

}  // namespace

i32f32 exp(i32f32 x) noexcept {
  if (x == i32f32{}) return i32f32::one();
  bool negative = x < i32f32{};
  i32f32 m = negative ? i32f32{} - x : x;
  i32f32 r = m == i32f32::one() ? i32f32::from_raw(e_raw) : taylor(m);
  return negative ? detail::one_over(r) : r;  // e^-x as 1 / e^x
}

namespace {

// Term I of eight series: term * m floored, then divided by the constant I (the terms and m are
// non-negative, so the truncating safe_div is floor, and the compiler divides by multiplying).
// Returns whether any lane's term is still non-zero. With m <= 20 (exp_safe's clamp) nothing
// saturates: every term and partial sum is at most e^20 < 2^29, and term * m at most
// max_k 20^k / (k-1)! < 8.7e8 < 2^31, so the I32F32 operations are plain integer ones here.
template <std::size_t I, std::size_t N>
bool series_term(std::array<std::uint64_t, N>& term, std::array<std::uint64_t, N>& sum,
                 const std::array<std::uint64_t, N>& m) noexcept {
  std::uint64_t any = 0;
  for (std::size_t l = 0; l < N; ++l) {
    term[l] = static_cast<std::uint64_t>((static_cast<u128>(term[l]) * m[l]) >> 32) / I;
    sum[l] += term[l];
    any |= term[l];
  }
  return any != 0;
}

// Terms 2..31, stopping after the first one where every lane reached 0.
template <std::size_t N, std::size_t... I>
void series_terms(std::array<std::uint64_t, N>& term, std::array<std::uint64_t, N>& sum,
                  const std::array<std::uint64_t, N>& m, std::index_sequence<I...>) noexcept {
  (void)(series_term<I + 2>(term, sum, m) && ...);
}

// The same series with AVX-512 IFMA's 52-bit multiplies, 8 lanes to a vector and four vectors
// side by side, for |x| <= 10 (m <= 10 * 2^32). There every term is below 2756 (2^44 raw) and
// term * m / 2^32 below 27558 (2^47 raw), so:
// - term * m fits IFMA's 104-bit product of 52-bit factors: its floor over 2^32 is the high
//   52 bits shifted up 20 plus the low 52 shifted down 32;
// - floor(q / k) is the high 52 bits of q * ceil(2^52 / k): with ceil(2^52 / k) * k = 2^52 + e,
//   e < k <= 31, the error q * e / 2^52 stays below 1 - (q mod k) / k for q < 2^47.
constexpr std::uint64_t ifma_bound = std::uint64_t{10} << 32;

struct ifma_divisors {
  std::array<std::uint64_t, 32> by{};
  ifma_divisors() {
    for (std::uint64_t k = 2; k < by.size(); ++k) by[k] = ((std::uint64_t{1} << 52) + k - 1) / k;
  }
};

#define SYNOD_IFMA [[gnu::target("avx512f,avx512vl,avx512ifma")]]
// GCC 12's AVX-512 headers pass _mm512_undefined_epi32() to masked builtins: a known false
// positive of -W(maybe-)uninitialized at every caller.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"

// The sums of 32 series (m[l] <= ifma_bound each) into sum.
SYNOD_IFMA void series_ifma(const std::uint64_t* m, std::uint64_t* sum) noexcept {
  static const ifma_divisors d;
  constexpr int vectors = 4;
  const __m512i zero = _mm512_setzero_si512(), one = _mm512_set1_epi64(std::int64_t{1} << 32);
  __m512i mv[vectors], term[vectors], total[vectors];
  for (int v = 0; v < vectors; ++v) {
    mv[v] = _mm512_loadu_si512(m + 8 * v);
    term[v] = mv[v];
    total[v] = _mm512_add_epi64(mv[v], one);
  }
  for (std::size_t k = 2; k < 32; ++k) {
    const __m512i by = _mm512_set1_epi64(static_cast<std::int64_t>(d.by[k]));
    __m512i any = zero;
    for (int v = 0; v < vectors; ++v) {
      const __m512i lo = _mm512_madd52lo_epu64(zero, term[v], mv[v]);
      const __m512i hi = _mm512_madd52hi_epu64(zero, term[v], mv[v]);
      const __m512i q = _mm512_or_si512(_mm512_slli_epi64(hi, 20), _mm512_srli_epi64(lo, 32));
      term[v] = _mm512_madd52hi_epu64(zero, q, by);
      total[v] = _mm512_add_epi64(total[v], term[v]);
      any = _mm512_or_si512(any, term[v]);
    }
    if (_mm512_test_epi64_mask(any, any) == 0) break;  // every later term is 0 too
  }
  for (int v = 0; v < vectors; ++v) _mm512_storeu_si512(sum + 8 * v, total[v]);
}

#pragma GCC diagnostic pop
#undef SYNOD_IFMA

// e^x for each x from the sum of its series: the library's stored e for exactly 1 (as exp
// does), and e^-|x| as 1 / e^|x|; a sum of 0 terms (x == 0) is one.
void finish(std::span<i32f32> xs, std::span<const std::uint64_t> m, std::span<const std::uint64_t> sum) noexcept {
  const auto one = static_cast<std::uint64_t>(i32f32::one().raw());
  for (std::size_t l = 0; l < xs.size(); ++l) {
    const i32f32 r = m[l] == one ? i32f32::from_raw(e_raw) : i32f32::from_raw(static_cast<std::int64_t>(sum[l]));
    xs[l] = xs[l] < i32f32{} ? detail::one_over(r) : r;
  }
}

bool has_ifma() noexcept {
  static const bool has = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                          __builtin_cpu_supports("avx512ifma");
  return has;
}

}  // namespace

namespace detail {

void exp_safe_all(std::span<i32f32> xs) noexcept {
  // Eight series side by side: each is a chain of dependent multiplies, so one at a time the
  // core mostly waits; interleaved they overlap. A lane whose term reached 0 adds only zeros.
  // With IFMA, 32 at a time when all lie within its bound.
  constexpr std::size_t lanes = 8, wide = 32;
  const i32f32 bound = i32f32::from_int(20), one = i32f32::one();
  const bool ifma = has_ifma();
  for (std::size_t c = 0; c < xs.size();) {
    const std::size_t l_end = std::min(ifma ? wide : lanes, xs.size() - c);
    std::array<std::uint64_t, wide> m{}, sum{};
    std::uint64_t largest = 0;
    for (std::size_t l = 0; l < l_end; ++l) {
      const i32f32 x = std::clamp(xs[c + l], i32f32{} - bound, bound);
      m[l] = static_cast<std::uint64_t>((x < i32f32{} ? i32f32{} - x : x).raw());
      largest = std::max(largest, m[l]);
    }
    std::size_t done = l_end;
    if (ifma && largest <= ifma_bound) {
      series_ifma(m.data(), sum.data());  // lanes past l_end run on m = 0
    } else {
      done = std::min(lanes, l_end);
      std::array<std::uint64_t, lanes> m8{}, term{}, sum8{};
      for (std::size_t l = 0; l < done; ++l) {
        m8[l] = m[l];
        term[l] = m[l];
        sum8[l] = m[l] + static_cast<std::uint64_t>(one.raw());
      }
      series_terms(term, sum8, m8, std::make_index_sequence<30>{});
      std::copy_n(sum8.begin(), done, sum.begin());
    }
    finish(xs.subspan(c, done), {m.data(), done}, {sum.data(), done});
    c += done;
  }
}

}  // namespace detail

i32f32 exp_safe(i32f32 x) noexcept {
  const i32f32 bound = i32f32::from_int(20);
  if (x > bound) x = bound;
  if (x < i32f32{} - bound) x = i32f32{} - bound;
  return exp(x);
}

}  // namespace synod::consensus
