# Shared by the CLI test scripts (source it after setting $work, a scratch directory).

# run CMD...: runs CMD with stdin closed off (a prompt must fail, not hang); sets $rc and
# leaves stdout in $out and stderr in $err.
run() {
  set +e
  "$@" >"$work/stdout" 2>"$work/stderr" </dev/null
  rc=$?
  set -e
  out=$(cat "$work/stdout")
  err=$(cat "$work/stderr")
}

# For scripts that start one node as $node_pid logging to $work/node.log: on exit stop it and
# remove $work; fail prints the node's last lines.
node_pid=
stop_node_and_clean() {
  if [[ -n $node_pid ]]; then
    kill -TERM "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
node_fail() { echo "FAIL: $*" >&2; [[ -f $work/node.log ]] && tail -20 "$work/node.log" >&2; exit 1; }
