#pragma once
// What every fuzz target shares: the invariant check that turns a broken rule into a crash
// libFuzzer saves, and the seed mode that writes a target's starting corpus from code (so the
// repository holds no binary files).

#include <functional>
#include <initializer_list>
#include <vector>

#include "synod/base/bytes.hpp"
#include "synod/base/error.hpp"

namespace synod::fuzz {

/// Prints where and which invariant broke, then traps: libFuzzer reports the SIGILL as a crash
/// and writes the input out. A trap, not assert(): it must fire in every build type.
[[noreturn]] void invariant_failed(const char* condition, const char* file, int line) noexcept;

/// Seed mode. When `argv` holds `-synod_seeds=DIR`, writes every input `make_seeds` returns
/// into DIR (created if missing) as seed-<n> and exits the process: 0 when all were written,
/// 1 otherwise. Without that flag it returns and libFuzzer goes on as usual. Call it from
/// LLVMFuzzerInitialize, which libFuzzer runs before it parses its own flags.
void run_seed_mode(int argc, char** argv, const std::function<std::vector<bytes>()>& make_seeds);

/// True when `e` carries one of `codes` (all of one component's enum).
template <error_enum E>
bool is_one_of(const error& e, std::initializer_list<E> codes) {
  for (E code : codes)
    if (e.is(code)) return true;
  return false;
}

}  // namespace synod::fuzz

/// Checks an invariant of the code under test; see invariant_failed.
#define SYNOD_FUZZ_CHECK(condition)                                          \
  do {                                                                       \
    if (!(condition))                                                        \
      ::synod::fuzz::invariant_failed(#condition, __FILE__, __LINE__);       \
  } while (false)
