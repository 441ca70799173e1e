#!/usr/bin/env bash
# `synod plugin ...` end to end with the test plugins of tests/unit/plugin: new (from the
# built-in template), info, check (a conformant and a broken plugin), record + shadow (two
# miners of different quality, scored by the pinned and a candidate plugin), bench plugin,
# and the errors a user meets (bad name, folder in use, missing file, bad options).
# Usage: plugin_test.sh PATH/TO/synod SUM_V1.so SUM_V2.so RAW_GARBAGE.so
set -euo pipefail

synod=${1:?usage: plugin_test.sh PATH/TO/synod SUM_V1 SUM_V2 RAW_GARBAGE}
v1=${2:?} v2=${3:?} garbage=${4:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

source "$(dirname "$0")/lib.sh"  # run

# new: the template, renamed.
run "$synod" plugin new my_subnet "$work/my_subnet"
[[ $rc == 0 ]] || fail "plugin new exited $rc: $err"
grep -q 'synod_add_plugin(my_subnet SOURCES subnet.cpp)' "$work/my_subnet/CMakeLists.txt" || fail "CMakeLists.txt not renamed"
grep -q '.name = "my_subnet"' "$work/my_subnet/subnet.cpp" || fail "manifest name not renamed"
! grep -q subnet_template "$work/my_subnet/"* || fail "the template's name is left in the copy"
run "$synod" plugin new my_subnet "$work/my_subnet"
[[ $rc == 1 && $err == *"already exists and is not an empty folder; nothing was written"* ]] || fail "reuse: $rc $err"
run "$synod" plugin new 9lives "$work/other"
[[ $rc == 1 && $err == *"must start with a-z"* ]] || fail "bad name: $rc $err"
[[ ! -e $work/other ]] || fail "a refused name still made a folder"

# info: the manifest and the content hash a subnet owner pins.
run "$synod" plugin info "$v1"
[[ $rc == 0 ]] || fail "info exited $rc: $err"
[[ $out == *"version       1.0.0"* && $out =~ blake2b-256\ +[0-9a-f]{64} ]] || fail "info printed: $out"
run "$synod" plugin info "$work/none.so"
[[ $rc == 1 && $err == *"plugin.cannot_open"*"does not exist"* ]] || fail "missing file: $rc $err"
run "$synod" plugin info "$v1" --option nonsense
[[ $rc == 1 && $err == *"--option wants KEY=VALUE"* ]] || fail "bad option: $rc $err"

# check: the conformance suite passes one plugin and names what fails in another.
run "$synod" plugin check "$v1"
[[ $rc == 0 && $out == *"conformant: 5 checks passed"* ]] || fail "check v1: $rc $out"
run "$synod" plugin check "$garbage"
[[ $rc == 1 && $out == *"FAIL malformed requests are refused"* && $out == *"NOT conformant"* ]] || fail "check garbage: $rc $out"

# record + shadow: miner 1 is off by 3 on every task, so it scores 1/4 of miner 0 under v1.
run "$synod" plugin record --plugin "$v1" --miners 2 --tasks 5 --miner-option 1:error=3 --out "$work/replies.bin"
[[ $rc == 0 && $out == *"recorded 10 replies of 2 miners to 5 tasks of sum 1.0.0"* ]] || fail "record: $rc $out $err"
run "$synod" plugin record --plugin "$v1" --miners 2 --miner-option 2:error=3 --out "$work/x.bin"
[[ $rc == 1 && $err == *"MINER below 2"* ]] || fail "record bad miner: $rc $err"
run "$synod" plugin shadow --pinned "$v1" --candidate "$v1" --candidate-option score=1 --replies "$work/replies.bin"
[[ $rc == 0 ]] || fail "shadow exited $rc: $err"
row0=$(grep -E '^ +0 ' <<<"$out") row1=$(grep -E '^ +1 ' <<<"$out")
[[ $row0 =~ ^\ +0\ +5\ +1\.000000\ +65535\ +1\.000000\ +65535\ +\+0$ ]] || fail "shadow miner 0: $row0"
[[ $row1 =~ ^\ +1\ +5\ +0\.250000\ +16384\ +1\.000000\ +65535\ +\+49151$ ]] || fail "shadow miner 1: $row1"
# v2 reads the same answer format but gives other versions' answers nothing.
run "$synod" plugin shadow --pinned "$v1" --candidate "$v2" --replies "$work/replies.bin" --json
[[ $rc == 0 && $out == *'"candidate_weight": 0'* && $out == *'"pinned_weight": 65535'* ]] || fail "shadow v2: $out"
run "$synod" plugin shadow --pinned "$v1" --candidate "$v1" --replies "$v1"
[[ $rc == 1 && $err == *"is not a file of recorded replies"* ]] || fail "shadow bad file: $rc $err"

# bench plugin: every call of the swap phase succeeds.
run "$synod" bench plugin --plugin "$v1" --calls 2000 --swaps 3
[[ $rc == 0 && $out == *"score"*"ns/call"* && $out == *", 0 failed"* ]] || fail "bench plugin: $rc $out"
echo "plugin commands: ok"
