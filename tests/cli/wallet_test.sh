#!/usr/bin/env bash
# `synod wallet ...` end to end: create, list, show, check and regen-hotkey with each password
# source, then the failures a user meets (wrong password, damaged file, missing wallet, no
# terminal), checking that none of them rewrites a key file.
# Usage: wallet_test.sh PATH/TO/synod
set -euo pipefail

synod=${1:?usage: wallet_test.sh PATH/TO/synod}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export SYNOD_WALLET_PATH=$work/wallets
unset SYNOD_WALLET_PASSWORD
root=$SYNOD_WALLET_PATH

fail() { echo "FAIL: $*" >&2; exit 1; }

source "$(dirname "$0")/lib.sh"  # run

expect_ok() {
  run "$@"
  [[ $rc == 0 ]] || fail "'$*' exited $rc: $err"
}

# expect_error TEXT CMD...: CMD exits 1 and says TEXT on stderr.
expect_error() {
  local text=$1
  shift
  run "$@"
  [[ $rc == 1 ]] || fail "'$*' exited $rc, expected 1 (stderr: $err)"
  [[ $err == *"$text"* ]] || fail "'$*' said '$err', expected it to mention '$text'"
  [[ $err == "synod: "* ]] || fail "'$*' error does not start with 'synod: ': $err"
}

# A file's checksum, inode and modification time: equal means it was not rewritten.
fingerprint() { echo "$(cksum <"$1") $(stat -c '%i %Y' "$1")"; }

# --json output: one object, with each of the given keys.
expect_json() {
  [[ $out == "{"*"}" ]] || fail "not a JSON object: $out"
  local key
  for key in "$@"; do
    grep -q "\"$key\":" <<<"$out" || fail "JSON lacks \"$key\": $out"
  done
  [[ $(grep -o '{' <<<"$out" | wc -l) == $(grep -o '}' <<<"$out" | wc -l) ]] ||
    fail "unbalanced braces in: $out"
}

echo "create with the password from the environment"
SYNOD_WALLET_PASSWORD=alice-pw expect_ok "$synod" wallet create --name alice --kdf minimal
[[ $out == *"created wallet 'alice'"* ]] || fail "create said: $out"
alice_cold=$(cat "$root/alice/coldkeypub.txt")
[[ $alice_cold == 5* && $out == *"$alice_cold"* ]] || fail "coldkey address '$alice_cold' not shown"
[[ $(stat -c %a "$root/alice") == 700 ]] || fail "wallet directory is not 0700"
[[ $(stat -c %a "$root/alice/coldkey") == 600 ]] || fail "coldkey is not 0600"
[[ $(stat -c %a "$root/alice/hotkeys/default") == 600 ]] || fail "hotkey is not 0600"

echo "create with --password-file, a named hotkey and --json"
printf 'bob-pw\n' >"$work/bob.pw"
expect_ok "$synod" wallet create --name bob --hotkey miner --kdf minimal \
  --password-file "$work/bob.pw" --json
expect_json name path coldkey hotkeys ss58 public_key healthy
[[ $out == *'"name": "miner"'* ]] || fail "hotkey 'miner' missing from: $out"

echo "list and show need no password"
expect_ok "$synod" wallet list
[[ $out == *alice* && $out == *bob* && $out == *"$alice_cold"* ]] || fail "list said: $out"
expect_ok "$synod" wallet list --json
expect_json root wallets
[[ $out == *'"name": "alice"'* && $out == *'"name": "bob"'* ]] || fail "list --json: $out"
expect_ok "$synod" wallet show --name alice --json
expect_json name coldkey hotkeys healthy
[[ $out == *"\"ss58\": \"$alice_cold\""* && $out == *'"healthy": true'* ]] ||
  fail "show --json: $out"

echo "check opens the coldkey with each password source"
SYNOD_WALLET_PASSWORD=alice-pw expect_ok "$synod" wallet check --name alice
expect_ok "$synod" wallet check --name bob --password-file "$work/bob.pw"
# The file comes first, before the environment variable.
SYNOD_WALLET_PASSWORD=not-bobs expect_ok "$synod" wallet check --name bob \
  --password-file "$work/bob.pw" --json
expect_json name healthy

echo "a wrong password is named and rewrites nothing"
before=$(fingerprint "$root/alice/coldkey")
SYNOD_WALLET_PASSWORD=Alice-pw expect_error "wrong password" "$synod" wallet check --name alice
[[ $(fingerprint "$root/alice/coldkey") == "$before" ]] || fail "coldkey changed"
printf 'alice-pw\n' >"$work/bob-wrong.pw"
expect_error "wrong password" "$synod" wallet check --name bob --password-file "$work/bob-wrong.pw"

echo "no password source and no terminal fails instead of waiting"
expect_error "not a terminal" "$synod" wallet check --name alice
expect_error "cannot read password file" "$synod" wallet check --name alice \
  --password-file "$work/missing.pw"

echo "a missing wallet is named, before any password is asked for"
expect_error "no wallet 'ghost'" "$synod" wallet show --name ghost
expect_error "no wallet 'ghost'" "$synod" wallet check --name ghost
expect_error "no wallet 'ghost'" "$synod" wallet regen-hotkey --name ghost --hotkey h
[[ ! -e $root/ghost ]] || fail "a missing wallet was created"

echo "creating over an existing wallet changes nothing"
SYNOD_WALLET_PASSWORD=other expect_error "already exists" "$synod" wallet create --name alice \
  --kdf minimal
[[ $(fingerprint "$root/alice/coldkey") == "$before" ]] || fail "coldkey changed"
[[ $(cat "$root/alice/coldkeypub.txt") == "$alice_cold" ]] || fail "coldkeypub.txt changed"
SYNOD_WALLET_PASSWORD=x expect_error "is not allowed" "$synod" wallet create --name ../evil

echo "a damaged coldkey is corruption, not a wrong password, and is left as it is"
cp "$root/alice/coldkey" "$work/coldkey.good"
head -c 100 "$work/coldkey.good" >"$root/alice/coldkey"
damaged=$(fingerprint "$root/alice/coldkey")
SYNOD_WALLET_PASSWORD=alice-pw expect_error "corrupt_file" "$synod" wallet check --name alice
[[ $err == *"$root/alice/coldkey"* ]] || fail "error does not name the file: $err"
[[ $(fingerprint "$root/alice/coldkey") == "$damaged" ]] || fail "damaged coldkey was rewritten"
cp "$work/coldkey.good" "$root/alice/coldkey"

echo "regen-hotkey restores from a seed and replaces only with --overwrite"
seed=9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60
expect_ok "$synod" wallet regen-hotkey --name alice --hotkey restored --seed "$seed" --json
expect_json wallet hotkey public_key ss58
[[ $out == *d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a* ]] ||
  fail "restored hotkey has the wrong public key: $out"
hot_before=$(fingerprint "$root/alice/hotkeys/default")
expect_error "--overwrite" "$synod" wallet regen-hotkey --name alice --hotkey default
[[ $(fingerprint "$root/alice/hotkeys/default") == "$hot_before" ]] || fail "hotkey rewritten"
expect_ok "$synod" wallet regen-hotkey --name alice --hotkey default --seed "$seed" --overwrite
cmp -s "$root/alice/hotkeys/default" "$root/alice/hotkeys/restored" || fail "not overwritten"
expect_error "bad_hex" "$synod" wallet regen-hotkey --name alice --hotkey x --seed 12zz

echo "a damaged hotkey shows in list and fails check"
printf '{"format": "synod-hotkey", ' >"$root/bob/hotkeys/miner"
expect_ok "$synod" wallet show --name bob
[[ $out == *"corrupt_file"* ]] || fail "show does not report the damaged hotkey: $out"
expect_error "$root/bob/hotkeys/miner" "$synod" wallet check --name bob \
  --password-file "$work/bob.pw"

echo "--wallet-path wins over SYNOD_WALLET_PATH"
SYNOD_WALLET_PASSWORD=carol-pw expect_ok "$synod" wallet create --name carol --kdf minimal \
  --wallet-path "$work/elsewhere"
[[ -f $work/elsewhere/carol/coldkey && ! -e $root/carol ]] || fail "carol made in the wrong place"
expect_ok "$synod" wallet list --wallet-path "$work/elsewhere"
[[ $out == *carol* && $out != *alice* ]] || fail "list --wallet-path said: $out"

echo "PASS"
