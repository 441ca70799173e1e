#!/usr/bin/env bash
# `synod localnet` as a user drives it: a chain comes up, transfers and stakes go in through
# the gateway and land in blocks, bad transactions are refused with their reason, and after a
# graceful stop or a kill -9 the chain restarts with every acknowledged transaction intact.
# Usage: localnet_test.sh PATH/TO/synod
set -euo pipefail

synod=${1:?usage: localnet_test.sh PATH/TO/synod}
work=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap stop_node_and_clean EXIT
fail() { node_fail "$@"; }

# Starts localnet on ephemeral ports and waits (bounded) for its endpoints.
start_localnet() {
  "$synod" localnet --dir "$work/net" "$@" --block-time-ms 50 --quiet \
    --rpc tcp://127.0.0.1:0 --pub tcp://127.0.0.1:0 >"$work/node.log" 2>&1 </dev/null &
  node_pid=$!
  for _ in $(seq 100); do
    if grep -q '^  rpc ' "$work/node.log"; then break; fi
    kill -0 "$node_pid" 2>/dev/null || fail "localnet exited at start"
    sleep 0.1
  done
  SYNOD_ENDPOINT=$(awk '/^  rpc /{print $2; exit}' "$work/node.log")
  SYNOD_PUB_ENDPOINT=$(awk '/^  pub /{print $2; exit}' "$work/node.log")
  [[ -n $SYNOD_ENDPOINT ]] || fail "localnet printed no rpc endpoint"
  export SYNOD_ENDPOINT SYNOD_PUB_ENDPOINT
}

field() { grep "\"$1\"" | head -1 | sed -E 's/.*: "?([^",]*)"?,?$/\1/'; }

echo "localnet starts and makes blocks"
start_localnet --fresh
export SYNOD_WALLET_PATH=$work/net/wallets SYNOD_WALLET_PASSWORD=localnet
alice=$("$synod" wallet show --name alice --json | grep -A3 '"coldkey"' | field ss58)
bob=$("$synod" wallet show --name bob --json | grep -A3 '"coldkey"' | field ss58)
[[ $bob == 5* ]] || fail "no address for bob: $bob"

echo "a transfer lands in a block and moves exactly the amount"
out=$("$synod" tx transfer --wallet alice --to "$bob" --amount 1.5 --wait) || fail "transfer: $out"
[[ $out == *"included in block"* ]] || fail "transfer not included: $out"
id=$(sed -n 's/^transfer submitted: //p' <<<"$out")
[[ $("$synod" query balance "$bob" --json | field balance) == 1000001.5 ]] || fail "bob's balance"
[[ $("$synod" query tx "$id" --json | field state) == included ]] || fail "tx status"

echo "the block feed delivers new blocks"
feed=$("$synod" query subscribe --count 2 --json --timeout-ms 5000) || fail "subscribe: $feed"
[[ $(grep -c '"height"' <<<"$feed") == 2 ]] || fail "subscribe printed: $feed"

echo "an overspend is refused with its reason and costs nothing"
before=$("$synod" query balance "$bob" --json | field balance_rao)
set +e
err=$("$synod" tx transfer --wallet bob --to "$alice" --amount 5000000 2>&1 >/dev/null)
rc=$?
set -e
[[ $rc == 1 && $err == *"chain.insufficient_balance"* ]] || fail "overspend: rc $rc, $err"
[[ $("$synod" query balance "$bob" --json | field balance_rao) == "$before" ]] || fail "overspend changed bob"

echo "register a hotkey, stake to it, unstake more than staked"
"$synod" tx register-hotkey --wallet alice --wait >/dev/null || fail "register-hotkey"
hot=$("$synod" wallet show --name alice --json | grep -A3 '"default"' | field ss58)
"$synod" tx stake --wallet alice --hotkey "$hot" --amount 100 --wait >/dev/null || fail "stake"
[[ $("$synod" query stake --hotkey "$hot" --coldkey "$alice" --json | field stake) == 100 ]] || fail "stake amount"
set +e
err=$("$synod" tx unstake --wallet alice --hotkey "$hot" --amount 101 2>&1 >/dev/null)
set -e
[[ $err == *"chain.insufficient_stake"* ]] || fail "over-unstake: $err"

echo "a graceful stop and restart keep the chain"
kill -TERM "$node_pid"
wait "$node_pid" || fail "localnet exited non-zero on SIGTERM"
node_pid=
grep -q '^stopped at block' "$work/node.log" || fail "no clean stop"
start_localnet
[[ $("$synod" query tx "$id" --json | field state) == included ]] || fail "tx lost across restart"
[[ $("$synod" query balance "$bob" --json | field balance) == 1000001.5 ]] || fail "balance lost"

echo "kill -9 while transfers stream in: every acknowledged transfer survives"
acked=$work/acked
: >"$acked"
(
  for i in $(seq 200); do
    out=$("$synod" tx transfer --wallet charlie --to "$bob" --amount 0.001 --wait --timeout-ms 3000 2>/dev/null) || continue
    if [[ $out == *"included in block"* ]]; then sed -n 's/^transfer submitted: //p' <<<"$out" >>"$acked"; fi
  done
) &
streamer=$!
for _ in $(seq 100); do (( $(wc -l <"$acked") >= 8 )) && break; sleep 0.1; done
kill -9 "$node_pid"
wait "$node_pid" 2>/dev/null || true
node_pid=
kill "$streamer" 2>/dev/null || true   # its last transfer, if any, ends at its own timeout
wait "$streamer" 2>/dev/null || true
n=$(wc -l <"$acked")
(( n >= 8 )) || fail "only $n transfers were acknowledged before the kill"
start_localnet  # refuses to start if the stored digest does not match the state
for tx in $(cat "$acked"); do
  [[ $("$synod" query tx "$tx" --json | field state) == included ]] || fail "acknowledged $tx lost"
done
echo "  $n acknowledged transfers intact after kill -9"
"$synod" tx transfer --wallet charlie --to "$bob" --amount 1 --wait >/dev/null || fail "chain stuck after restart"
echo "PASS"
