#!/usr/bin/env bash
# Plugins on a running node: a node file's [plugins] loads a slot at start, `synod plugin list`
# shows it, `synod plugin swap` replaces its version while the node runs, and every refused
# swap (wrong hash, another plugin, missing file) names why and leaves the slot as it was.
# Both need the operator cookie the node writes (0600) at start; without it they are refused.
# Usage: plugin_node_test.sh PATH/TO/synod SUM_V1.so SUM_V2.so RAW_GARBAGE.so
set -euo pipefail

synod=${1:?usage: plugin_node_test.sh PATH/TO/synod SUM_V1 SUM_V2 RAW_GARBAGE}
v1=${2:?} v2=${3:?} garbage=${4:?}
work=$(mktemp -d)
source "$(dirname "$0")/lib.sh"  # run, node_pid, stop_node_and_clean, node_fail
trap stop_node_and_clean EXIT
fail() { node_fail "$@"; }

# A genesis from localnet, then a node (no authority: it only serves) with one plugin slot.
# Ephemeral ports: other tests run at the same time, and the default ones may be taken.
"$synod" localnet --dir "$work/net" --fresh --blocks 1 --quiet --rpc tcp://127.0.0.1:0 \
  --pub tcp://127.0.0.1:0 >"$work/localnet.log" 2>&1 </dev/null || fail "localnet: $(cat "$work/localnet.log")"
cat >"$work/node.toml" <<TOML
data_dir = "data"
genesis = "net/genesis.toml"
shards = 1
[gateway]
rpc = "tcp://127.0.0.1:0"
pub = "tcp://127.0.0.1:0"
[plugins]
sum = "$v1"
TOML
"$synod" node --config "$work/node.toml" --quiet >"$work/node.log" 2>&1 </dev/null &
node_pid=$!
rpc=
for _ in $(seq 100); do
  rpc=$(awk '$1 == "rpc" {print $2; exit}' "$work/node.log")
  [[ -n $rpc ]] && break
  sleep 0.1
done
[[ -n $rpc ]] || fail "the node printed no rpc endpoint"

cookie=$work/data/operator.cookie
grep -q "operator cookie $cookie" "$work/node.log" || fail "the banner does not name the cookie"
[[ $(stat -c %a "$cookie") == 600 ]] || fail "the cookie is readable by others: $(stat -c %a "$cookie")"
echo 0000 >"$work/wrong.cookie"
run "$synod" plugin list --endpoint "$rpc" --cookie-file "$work/wrong.cookie"
[[ $rc == 1 && $err == *"gateway.not_operator"*"operator.cookie"* ]] || fail "wrong cookie: $rc $err"
run "$synod" plugin swap --endpoint "$rpc" --cookie-file "$work/wrong.cookie" --name sum --file "$v2"
[[ $rc == 1 && $err == *"gateway.not_operator"* ]] || fail "swap with a wrong cookie: $rc $err"
run "$synod" plugin list --endpoint "$rpc" --cookie-file "$work/none.cookie"
[[ $rc == 1 && $err == *"cannot read the operator cookie"* ]] || fail "no cookie file: $rc $err"

run "$synod" plugin list --endpoint "$rpc" --cookie-file "$cookie"
[[ $rc == 0 && $out == *"sum              sum 1.0.0  swaps 0"* ]] || fail "list at start: $rc $out $err"

run "$synod" plugin swap --endpoint "$rpc" --cookie-file "$cookie" --name sum --file "$v2"
[[ $rc == 0 && $out == *"plugin slot sum: sum 1.0.0 -> 2.0.0"* ]] || fail "swap: $rc $out $err"

# Refusals leave the slot at 2.0.0.
run "$synod" plugin swap --endpoint "$rpc" --cookie-file "$cookie" --name sum --file "$v1" --hash "$(printf '0%.0s' {1..64})"
[[ $rc == 1 && $err == *"plugin.hash_mismatch"* ]] || fail "wrong hash: $rc $err"
run "$synod" plugin swap --endpoint "$rpc" --cookie-file "$cookie" --name sum --file "$garbage"
[[ $rc == 1 && $err == *"plugin.bad_manifest"*"is 'raw', expected 'sum'"* ]] || fail "other plugin: $rc $err"
run "$synod" plugin swap --endpoint "$rpc" --cookie-file "$cookie" --name sum --file "$work/missing.so"
[[ $rc == 1 && $err == *"plugin.cannot_open"* ]] || fail "missing file: $rc $err"
run "$synod" plugin swap --endpoint "$rpc" --cookie-file "$cookie" --name "Bad Slot" --file "$v1"
[[ $rc == 1 && $err == *"plugin.bad_request"*"slot name"* ]] || fail "bad slot: $rc $err"

# The right hash passes; a new slot can be made at run time.
hash=$("$synod" plugin info "$v1" | awk '$1 == "blake2b-256" {print $2}')
run "$synod" plugin swap --endpoint "$rpc" --cookie-file "$cookie" --name sum --file "$v1" --hash "$hash"
[[ $rc == 0 && $out == *"sum 2.0.0 -> 1.0.0"* ]] || fail "swap back with hash: $rc $out $err"
run "$synod" plugin swap --endpoint "$rpc" --cookie-file "$cookie" --name other --file "$garbage"
[[ $rc == 0 && $out == *"plugin slot other: loaded raw 0.1.0"* ]] || fail "new slot: $rc $out $err"
run "$synod" plugin list --endpoint "$rpc" --cookie-file "$cookie" --json
[[ $rc == 0 && $out == *'"slot": "sum"'*'"swaps": 2'*'"version": "1.0.0"'* ]] || fail "list --json: $out"
[[ $out == *'"slot": "other"'* ]] || fail "list lacks the new slot: $out"
kill -0 "$node_pid" || fail "the node died"
echo "plugins on a running node: ok"
