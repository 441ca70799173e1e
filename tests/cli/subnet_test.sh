#!/usr/bin/env bash
# Subnets as a user drives them through `synod tx` and `synod query` on a localnet: a subnet is
# registered and tuned, two neurons burn their way in, the owner sets weights, an epoch turns
# them into consensus, incentive and emission on the metagraph. Each refused call (a non-owner
# changing the subnet, a hyperparameter out of range, duplicate uids) prints the chain's reason,
# exits non-zero and changes nothing.
# Usage: subnet_test.sh PATH/TO/synod
set -euo pipefail

synod=${1:?usage: subnet_test.sh PATH/TO/synod}
work=$(mktemp -d)
source "$(dirname "$0")/lib.sh"
trap stop_node_and_clean EXIT
fail() { node_fail "$@"; }

"$synod" localnet --dir "$work/net" --fresh --block-time-ms 50 --quiet \
  --rpc tcp://127.0.0.1:0 --pub tcp://127.0.0.1:0 >"$work/node.log" 2>&1 </dev/null &
node_pid=$!
for _ in $(seq 100); do
  grep -q '^  rpc ' "$work/node.log" && break
  kill -0 "$node_pid" 2>/dev/null || fail "localnet exited at start"
  sleep 0.1
done
SYNOD_ENDPOINT=$(awk '/^  rpc /{print $2; exit}' "$work/node.log")
[[ -n $SYNOD_ENDPOINT ]] || fail "localnet printed no rpc endpoint"
export SYNOD_ENDPOINT SYNOD_WALLET_PATH=$work/net/wallets SYNOD_WALLET_PASSWORD=localnet

field() { grep "\"$1\"" | head -1 | sed -E 's/.*: "?([^",]*)"?,?$/\1/'; }
hotkey_of() { "$synod" wallet show --name "$1" --json | grep -A3 '"default"' | field ss58; }
# Runs a command that must be refused: exit 1 and "<domain>.<code>: <reason>" on stderr, kept
# in $err.
refused() {
  local code=$1
  shift
  set +e
  err=$("$synod" "$@" 2>&1 >/dev/null)
  local rc=$?
  set -e
  [[ $rc == 1 && $err == *"$code: "?* ]] || fail "$* should be refused with $code: rc $rc, $err"
}
# A column of uid $2's row in the metagraph table ($1: the column number).
column() { "$synod" query metagraph --netuid 1 | awk -v c="$1" -v u="$2" '$1 == u { print $c }'; }

echo "every user registers its hotkey; the hotkeys get TAO for their own fees"
for user in alice bob charlie; do
  "$synod" tx register-hotkey --wallet "$user" --wait >/dev/null || fail "register-hotkey $user"
  "$synod" tx transfer --wallet "$user" --to "$(hotkey_of "$user")" --amount 10 --wait >/dev/null ||
    fail "funding $user's hotkey"
done
alice_hot=$(hotkey_of alice)

echo "an unknown subnet is a clear error"
refused chain.subnet_not_found query metagraph --netuid 1
[[ $err == *"no subnet has netuid 1"* ]] || fail "unknown subnet: $err"
[[ $("$synod" query subnets --json | grep -c '"netuid"') == 0 ]] || fail "subnets before any"

echo "alice registers subnet 1 with her hotkey as uid 0"
out=$("$synod" tx register-subnet --wallet alice --wait) || fail "register-subnet: $out"
[[ $out == *"subnet 1 registered, 1000 TAO locked"* ]] || fail "register-subnet printed: $out"
sub=$("$synod" query subnet --netuid 1 --json)
[[ $(field owner_hotkey <<<"$sub") == "$alice_hot" ]] || fail "owner hotkey: $sub"
[[ $(field neuron_count <<<"$sub") == 1 && $(field tempo <<<"$sub") == 360 ]] || fail "new subnet: $sub"
[[ $("$synod" query subnets --json | grep -c '"netuid"') == 1 ]] || fail "subnet list"

echo "the owner sets tempo, plain weights and no weights rate limit"
"$synod" tx subnet-set --wallet alice --netuid 1 --param tempo=10 --param commit_reveal=false \
  --param weights_rate_limit=0 --wait >/dev/null || fail "subnet-set"
sub=$("$synod" query subnet --netuid 1 --json)
[[ $(field tempo <<<"$sub") == 10 && $(field commit_reveal <<<"$sub") == 0 &&
   $(field weights_rate_limit <<<"$sub") == 0 ]] || fail "hyperparameters not set: $sub"

echo "a non-owner and an out-of-range value are refused and change nothing"
refused chain.not_subnet_owner tx subnet-set --wallet bob --netuid 1 --param tempo=20
refused chain.hyperparam_out_of_range tx subnet-set --wallet alice --netuid 1 --param tempo=0
[[ $err == *tempo* ]] || fail "out of range does not name the hyperparameter: $err"
[[ $("$synod" query subnet --netuid 1 --json | field tempo) == 10 ]] || fail "a refused subnet-set changed tempo"
refused cli.bad_flag tx subnet-set --wallet alice --netuid 1 --param no_such_thing=1

echo "bob and charlie burn their way in as uids 1 and 2"
out=$("$synod" tx register --wallet bob --netuid 1 --wait) || fail "register bob: $out"
[[ $out == *"registered as uid 1 in subnet 1, "*" TAO burned"* ]] || fail "bob's registration: $out"
out=$("$synod" tx register --wallet charlie --netuid 1 --wait --json) || fail "register charlie: $out"
[[ $(field uid <<<"$out") == 2 ]] || fail "charlie's uid: $out"
# The price only decays between the quote and the block (no registration came in between).
(( $(field burned_rao <<<"$out") > 0 && $(field burned_rao <<<"$out") <= $(field price_quoted_rao <<<"$out") )) ||
  fail "charlie's burn: $out"
refused chain.hotkey_in_subnet tx register --wallet charlie --netuid 1
[[ $("$synod" query subnet --netuid 1 --json | field neuron_count) == 3 ]] || fail "neuron count"

echo "bob serves an endpoint"
"$synod" tx serve --wallet bob --netuid 1 --ip 10.1.2.3 --port 8091 --wait >/dev/null || fail "serve"
[[ $("$synod" query metagraph --netuid 1 --json | tr -d ' \n' | grep -o '"ip":"[^"]*","ip_type":4,"port":8091') == '"ip":"10.1.2.3","ip_type":4,"port":8091' ]] ||
  fail "axon not in the metagraph"

echo "alice stakes on her hotkey and, as the owner, sets weights"
"$synod" tx stake --wallet alice --hotkey "$alice_hot" --amount 1000 --wait >/dev/null || fail "stake"
"$synod" tx set-weights --wallet alice --netuid 1 --uids 1,2 --weights 100,200 --wait >/dev/null ||
  fail "set-weights"
weights=$("$synod" query metagraph --netuid 1 --weights | grep '^ *0 ->')
[[ $weights == *" 1=32768 2=65535"* ]] || fail "uid 0's weights: $weights"
# At least what she staked: the owner's cut of each epoch is staked on the owner hotkey too.
stake=$(column 3 0)
(( ${stake%%.*} >= 1000 )) || fail "uid 0's stake: $stake"

echo "duplicate uids are refused and leave the weights as they were"
nonce=$("$synod" query balance "$alice_hot" --json | field nonce)
refused chain.duplicate_uids tx set-weights --wallet alice --netuid 1 --uids 2,2 --weights 1,1
[[ $("$synod" query metagraph --netuid 1 --weights | grep '^ *0 ->') == "$weights" ]] || fail "weights changed"
[[ $("$synod" query balance "$alice_hot" --json | field nonce) == "$nonce" ]] || fail "a refused call used a nonce"

echo "an epoch turns the weights into consensus, incentive and emission"
epochs=$("$synod" query subnet --netuid 1 --json | field epoch_index)
for _ in $(seq 100); do
  now=$("$synod" query subnet --netuid 1 --json | field epoch_index)
  (( now >= epochs + 2 )) && break
  sleep 0.1
done
(( now >= epochs + 2 )) || fail "no two epochs in 10 s (epoch index $epochs, now $now)"
for uid in 1 2; do
  [[ $(column 5 $uid) != 0.0000 && $(column 6 $uid) != 0.0000 && $(column 8 $uid) != 0 ]] ||
    fail "uid $uid after an epoch: $("$synod" query metagraph --netuid 1)"
done
[[ $(column 4 0) == yes ]] || fail "the staked owner has no validator permit"
# Weights 100:200 from the one validator: consensus and incentive split a third to two thirds.
[[ $(column 6 1) == 0.3333 && $(column 6 2) == 0.6667 ]] || fail "incentive: $("$synod" query metagraph --netuid 1)"

echo "commit-reveal: a wrong salt is refused, the right one lands one epoch after the commit"
"$synod" tx subnet-set --wallet alice --netuid 1 --param tempo=40 --param commit_reveal=true \
  --wait >/dev/null || fail "turning commit-reveal on"
refused chain.commit_reveal_enabled tx set-weights --wallet alice --netuid 1 --uids 1,2 --weights 1,1
out=$("$synod" tx commit-weights --wallet alice --netuid 1 --uids 1,2 --weights 300,100 \
  --salt s3cret --wait --json) || fail "commit-weights: $out"
[[ $(field commit_hash <<<"$out") =~ ^[0-9a-f]{64}$ ]] || fail "commit printed: $out"
committed=$("$synod" query subnet --netuid 1 --json | field epoch_index)
refused chain.reveal_mismatch tx reveal-weights --wallet alice --netuid 1 --uids 1,2 \
  --weights 300,100 --salt wrong
for _ in $(seq 100); do
  (( $("$synod" query subnet --netuid 1 --json | field epoch_index) > committed )) && break
  sleep 0.1
done
"$synod" tx reveal-weights --wallet alice --netuid 1 --uids 1,2 --weights 300,100 --salt s3cret \
  --wait >/dev/null || fail "reveal-weights"
[[ $("$synod" query metagraph --netuid 1 --weights | grep '^ *0 ->') == *" 1=65535 2=21845" ]] ||
  fail "revealed weights: $("$synod" query metagraph --netuid 1 --weights)"

echo "a delegate take within range, one above it, and a root vote"
"$synod" tx set-take --wallet alice --take 10 --wait >/dev/null || fail "set-take 10%"
refused chain.take_out_of_range tx set-take --wallet alice --take 50
"$synod" tx root-vote --wallet alice --netuids 1 --weights 1 --wait >/dev/null || fail "root-vote"
refused chain.subnet_not_found tx root-vote --wallet alice --netuids 9 --weights 1

"$synod" query metagraph --netuid 1 --weights --bonds
echo "PASS"
