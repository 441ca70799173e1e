#!/usr/bin/env bash
# Two nodes in two processes: a localnet producing blocks and a `synod node` following it.
# The follower catches up from genesis, then keeps importing each new block; both report the
# same block hashes and state digests, and the follower refuses submissions it cannot include.
# Usage: follower_test.sh PATH/TO/synod
set -euo pipefail

synod=${1:?usage: follower_test.sh PATH/TO/synod}
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; tail -5 "$work"/*.log >&2 || true; exit 1; }
field() { grep "\"$1\"" | head -1 | sed -E 's/.*: "?([^",]*)"?,?$/\1/'; }

# wait_endpoint LOG KIND: the endpoint a node printed ("rpc" or "pub"), waiting up to 10 s.
wait_endpoint() {
  for _ in $(seq 100); do
    local e
    e=$(awk -v k="$2" '$1 == k {print $2; exit}' "$1")
    if [[ -n $e ]]; then echo "$e"; return; fi
    sleep 0.1
  done
  fail "no $2 endpoint in $1"
}

"$synod" localnet --dir "$work/net" --fresh --block-time-ms 50 --quiet \
  --rpc tcp://127.0.0.1:0 --pub tcp://127.0.0.1:0 >"$work/a.log" 2>&1 </dev/null &
pids+=($!)
a_rpc=$(wait_endpoint "$work/a.log" rpc)
a_pub=$(wait_endpoint "$work/a.log" pub)
export SYNOD_WALLET_PATH=$work/net/wallets SYNOD_WALLET_PASSWORD=localnet
bob=$("$synod" wallet show --name bob --json | grep -A3 '"coldkey"' | field ss58)

echo "a transfer on the producer before the follower exists"
"$synod" tx transfer --endpoint "$a_rpc" --wallet alice --to "$bob" --amount 2 --wait >/dev/null || fail "transfer"

cat >"$work/b.toml" <<TOML
data_dir = "b-data"
genesis = "net/genesis.toml"
shards = 2
[gateway]
rpc = "tcp://127.0.0.1:0"
pub = "tcp://127.0.0.1:0"
[follow]
rpc = "$a_rpc"
pub = "$a_pub"
TOML
"$synod" node --config "$work/b.toml" --quiet >"$work/b.log" 2>&1 </dev/null &
pids+=($!)
b_rpc=$(wait_endpoint "$work/b.log" rpc)

# same_at HEIGHT: both nodes hold the same block hash and state digest at HEIGHT.
same_at() {
  local a b
  a=$("$synod" query block "$1" --endpoint "$a_rpc" --json | field state_digest)
  b=$("$synod" query block "$1" --endpoint "$b_rpc" --json 2>/dev/null | field state_digest) || return 1
  [[ -n $a && $a == "$b" ]]
}

echo "the follower catches up from genesis"
target=$("$synod" query head --endpoint "$a_rpc" --json | field height)
for _ in $(seq 100); do same_at "$target" && break; sleep 0.1; done
same_at "$target" || fail "follower did not reach block $target with the producer's digest"
[[ $("$synod" query balance "$bob" --endpoint "$b_rpc" --json | field balance) == 1000002 ]] || fail "bob on follower"

echo "a new transfer reaches the follower"
"$synod" tx transfer --endpoint "$a_rpc" --wallet alice --to "$bob" --amount 3 --wait >/dev/null || fail "transfer 2"
for _ in $(seq 100); do
  [[ $("$synod" query balance "$bob" --endpoint "$b_rpc" --json | field balance) == 1000005 ]] && break
  sleep 0.1
done
[[ $("$synod" query balance "$bob" --endpoint "$b_rpc" --json | field balance) == 1000005 ]] || fail "follower missed transfer 2"
target=$("$synod" query head --endpoint "$b_rpc" --json | field height)
same_at "$target" || fail "digests differ at $target"

echo "the follower refuses submissions it cannot include"
set +e
err=$("$synod" tx transfer --endpoint "$b_rpc" --wallet alice --to "$bob" --amount 1 2>&1 >/dev/null)
set -e
[[ $err == *"gateway.not_producing"* ]] || fail "follower accepted a submission: $err"
echo "PASS"
