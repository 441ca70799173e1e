#!/usr/bin/env bash
# `synod epoch run` end to end: a golden scenario's JSON output holds the value subtensor's
# test asserts, the table mode prints every epoch, and a malformed or missing file fails with
# exit code 1 and names what is wrong (for a bad field, its path).
# Usage: epoch_test.sh PATH/TO/synod PATH/TO/tests/golden/yuma
set -euo pipefail

synod=${1:?usage: epoch_test.sh PATH/TO/synod GOLDEN_DIR}
golden=${2:?usage: epoch_test.sh PATH/TO/synod GOLDEN_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

source "$(dirname "$0")/lib.sh"  # run

# g01 (subtensor's test_bonds): after the epoch at step 13, validator 0 holds bond 16383 in
# miner 4 (the test's assertion), and the file runs 9 epochs.
run "$synod" epoch run --json "$golden/g01_test_bonds.json"
[[ $rc == 0 ]] || fail "epoch run --json exited $rc: $err"
epoch13=$(sed -n '/"step": 13,/,/]}/p' "$work/stdout")
[[ $epoch13 == *'"bonds": [[0,0,0,0,16383,'* ]] || fail "step 13 bonds row 0: $epoch13"
[[ $(grep -c '"step":' "$work/stdout") == 9 ]] || fail "expected 9 epochs in: $out"
[[ $(head -c 12 "$work/stdout") == '{"epochs": [' ]] || fail "not the format's output: $out"

run "$synod" epoch run "$golden/g01_test_bonds.json"
[[ $rc == 0 ]] || fail "epoch run exited $rc: $err"
[[ $out == *"epoch at step 13, block 2, 8 neurons"* ]] || fail "no table for step 13: $out"

# A malformed file names the offending field's path.
cat >"$work/bad.json" <<'EOF'
{"max_allowed_uids": 4, "steps": [
  {"block": 1, "op": "register", "hotkey": "v0", "stake": 1},
  {"block": 2, "op": "set_weights", "hotkey": "v0", "uids": "all", "weights": [1]}]}
EOF
run "$synod" epoch run --json "$work/bad.json"
[[ $rc == 1 ]] || fail "bad file exited $rc, expected 1"
[[ -z $out ]] || fail "bad file printed output: $out"
[[ $err == *"steps[1].uids: expected an array of integers"* ]] || fail "bad file said: $err"

# A rejection the file did not expect stops the run and says which step.
cat >"$work/rejected.json" <<'EOF'
{"max_allowed_uids": 4, "steps": [
  {"block": 1, "op": "register", "hotkey": "v0"},
  {"block": 1, "op": "register", "hotkey": "m1"},
  {"block": 2, "op": "set_weights", "hotkey": "v0", "uids": [1], "weights": [1]}]}
EOF
run "$synod" epoch run "$work/rejected.json"
[[ $rc == 1 ]] || fail "unexpected rejection exited $rc, expected 1"
[[ $err == *"chain.no_validator_permit"*"steps[2] (set_weights)"* ]] || fail "rejection said: $err"

run "$synod" epoch run "$work/missing.json"
[[ $rc == 1 && $err == *"cannot read scenario file"* ]] || fail "missing file: $rc $err"

echo "epoch CLI: ok"
