#!/usr/bin/env bash
# tests/fuzz/run.sh SOURCE_DIR WORK_DIR: the ctest case Fuzz.Decoders.
#
# Builds the libFuzzer targets with clang in WORK_DIR (a CMake build of its own, SYNOD_FUZZ=ON),
# writes each target's seeds into its corpus there, then runs all targets at once for
# SYNOD_FUZZ_SECONDS each (default 15). Exit status: 0 nothing found; 1 a crash, a broken
# invariant or a failed build; 77 skipped (no clang that can build and run a fuzzer).
# Every input in tests/fuzz/regressions/<target>/*.hex (a bug found before, as hex text) joins
# the corpus, so it is replayed on every run. The mutation seed is fixed (SYNOD_FUZZ_SEED,
# default 1; 0 is random): from the same corpus a run explores the same inputs, so a run that
# is green here stays green on a slower CI machine, which explores only a prefix of them.
# Corpora (WORK_DIR/corpus/<target>) grow from run to run; crash inputs go to WORK_DIR/crashes.
# Knobs: SYNOD_FUZZ_SECONDS, SYNOD_FUZZ_SEED, SYNOD_FUZZ_CXX (a clang++ to try first),
# SYNOD_JOBS.
# Longer runs by hand: docs/fuzzing.md.
set -euo pipefail

src=${1:?usage: run.sh SOURCE_DIR WORK_DIR}
work=${2:?usage: run.sh SOURCE_DIR WORK_DIR}
seconds=${SYNOD_FUZZ_SECONDS:-15}
seed=${SYNOD_FUZZ_SEED:-1}
jobs=${SYNOD_JOBS:-$(nproc)}

say() { printf '[fuzz] %s\n' "$*"; }
skip() { printf 'skipped: %s\n' "$*"; exit 77; }
fail() { printf 'FAILED: %s\n' "$*"; exit 1; }

mkdir -p "$work/logs"

# Can clang++ $1 build a fuzzer, and does one start here? (ASan needs a kernel it can map its
# shadow memory on.) On failure, says why in $why.
why=""
probe() {
  local cxx=$1 log=$work/logs/probe.log
  if ! "$cxx" -fsanitize=fuzzer,address,undefined "$src/tests/fuzz/probe.cpp" \
      -o "$work/probe" >"$log" 2>&1; then
    why="$cxx cannot link -fsanitize=fuzzer (Debian: clang-14 libclang-rt-14-dev)"
    return 1
  fi
  if ! "$work/probe" -runs=1 >>"$log" 2>&1; then
    why="a fuzzer built by $cxx does not start here: $(tail -n 1 "$log")"
    return 1
  fi
}

# Sets $cxx to the first clang++ that passes the probe. clang++-14 first: scripts/setup.sh
# installs it with its fuzzer runtime. A bare clang++ may be another version (PoCL pulls in
# clang-15) without one; the probe tells.
cxx=""
find_clang() {
  local name path
  for name in ${SYNOD_FUZZ_CXX:-} clang++-14 clang++; do
    path=$(command -v "$name") || continue
    if probe "$path"; then cxx=$path; return 0; fi
  done
  [[ -n $why ]] || why="no clang++ on PATH (Debian: clang-14 libclang-rt-14-dev)"
  return 1
}

# The top CMakeLists.txt puts ccache in front of the compiler when there is one.
configure() {
  local cxx=$1 cc=${1/clang++/clang} stamp=$work/compiler
  [[ -x $cc ]] || skip "$cxx has no matching C compiler $cc"
  if [[ -f $work/build.ninja && $(cat "$stamp" 2>/dev/null) == "$cxx" ]]; then return 0; fi
  rm -rf "$work/CMakeCache.txt" "$work/CMakeFiles"  # made by another compiler, or half-made
  say "configuring $work with $cxx"
  cmake -S "$src" -B "$work" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSYNOD_FUZZ=ON \
      -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" >"$work/logs/configure.log" 2>&1 \
    || { cat "$work/logs/configure.log"; fail "configuring the fuzz build"; }
  echo "$cxx" >"$stamp"
}

build() {
  local log=$work/logs/build.log start=$SECONDS
  say "building the fuzz targets ($jobs jobs)"
  cmake --build "$work" --parallel "$jobs" --target synod_fuzzers >"$log" 2>&1 \
    || { tail -n 100 "$log"; fail "building the fuzz targets"; }
  grep -A3 'warning:' "$log" || true
  say "built in $((SECONDS - start)) s"
}

# Prints what a failed run left: its report, the input in hex and how to replay it.
report() {
  local target=$1 log=$work/logs/$1.log input
  echo "---- $target: $log, from the first report ----"
  # Sanitizer reports and broken invariants start with one of these; else show the tail.
  if grep -qE '^==[0-9]+==|==synod-fuzz==|runtime error:' "$log"; then
    sed -n '/^==[0-9]*==\|==synod-fuzz==\|runtime error:/,$p' "$log" | head -n 120
  else
    tail -n 60 "$log"
  fi
  input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
  if [[ -n $input && -f $input ]]; then
    echo "---- $target: the input ($(stat -c %s "$input") bytes), hex ----"
    od -An -v -tx1 "$input" | tr -d ' \n' | head -c 16384
    echo
    echo "reproduce: $work/bin/$target $input"
  fi
}

fuzz_all() {
  local target targets failed=()
  local -A pids
  mapfile -t targets <"$work/fuzzers.txt"
  mkdir -p "$work/crashes"
  for target in "${targets[@]}"; do
    "$work/bin/$target" -synod_seeds="$work/corpus/$target" >"$work/logs/$target.log" 2>&1 \
      || { cat "$work/logs/$target.log"; fail "$target could not write its seeds"; }
    local hex
    for hex in "$src/tests/fuzz/regressions/$target"/*.hex; do
      [[ -f $hex ]] || continue
      printf '%b' "$(tr -d ' \n' <"$hex" | sed 's/../\\x&/g')" \
        >"$work/corpus/$target/regression-$(basename "$hex" .hex)"
    done
  done
  for target in "${targets[@]}"; do
    "$work/bin/$target" -max_total_time="$seconds" -seed="$seed" -rss_limit_mb=2048 -timeout=10 \
        -artifact_prefix="$work/crashes/$target-" "$work/corpus/$target" \
        >>"$work/logs/$target.log" 2>&1 &
    pids[$target]=$!
  done
  say "fuzzing ${targets[*]} for $seconds s each, all at once"
  for target in "${targets[@]}"; do
    # libFuzzer exits 77 on a crash by default: never pass its status on (ctest would skip).
    if wait "${pids[$target]}"; then
      local done_line inputs
      done_line=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$work/logs/$target.log" || true)
      inputs=$(find "$work/corpus/$target" -type f | wc -l)
      say "$target: $done_line(s), corpus $inputs inputs, nothing found"
    else
      report "$target"
      failed+=("$target")
    fi
  done
  ((${#failed[@]} == 0)) || fail "${failed[*]} found a bug (see above)"
}

find_clang || skip "$why"
# Symbolized stack traces, from the same LLVM as the compiler.
symbolizer=$("$cxx" -print-prog-name=llvm-symbolizer)
if [[ -x $symbolizer ]]; then export ASAN_SYMBOLIZER_PATH=$symbolizer; fi
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
configure "$cxx"
build
fuzz_all
