#!/usr/bin/env bash
# FileTransferNetns between three network namespaces (docs/benchmarks.md, issue 19): the server in
# p2pb-srv (10.77.0.1), the sender in p2pb-a (10.77.0.2), the receivers in p2pb-b (10.77.0.3),
# each joined by a veth pair to a bridge in a fourth namespace, p2pb-br, so that nothing changes in
# the machine's own namespace. Needs root (ip netns). Removes the namespaces when it ends.
#
#   benchmarks/netns/files.sh [MIB] [ROUNDS]      # default 64 MiB, 5 rounds
set -euo pipefail
MIB=${1:-64}
ROUNDS=${2:-5}
JAR=${JAR:-benchmarks/target/benchmarks.jar}
WORK=$(mktemp -d /tmp/p2pchat-netns.XXXXXX)
MAIN=org.p2pchat.benchmarks.FileTransferNetns
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for ns in p2pb-srv p2pb-a p2pb-b p2pb-br; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add p2pb-br
ip -n p2pb-br link add br0 type bridge
ip -n p2pb-br link set br0 up
ip -n p2pb-br link set lo up
i=1
for role in srv a b; do
  ip netns add "p2pb-$role"
  ip link add "p2pb-$role" netns "p2pb-$role" type veth peer name "port-$role" netns p2pb-br
  ip -n p2pb-br link set "port-$role" master br0 up
  ip -n "p2pb-$role" link set lo up
  ip -n "p2pb-$role" addr add "10.77.0.$i/24" dev "p2pb-$role"
  ip -n "p2pb-$role" link set "p2pb-$role" up
  i=$((i + 1))
done

ip netns exec p2pb-srv java -cp "$JAR" $MAIN server 10.77.0.1 7777 > "$WORK/server.out" 2> "$WORK/server.err" &
PIDS+=($!)
for _ in $(seq 1 300); do grep -q '^key ' "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
KEY=$(sed -n 's/^key //p' "$WORK/server.out")
[ -n "$KEY" ] || { echo "the server did not start:"; cat "$WORK/server.err"; exit 1; }

ip netns exec p2pb-b java -cp "$JAR" $MAIN receivers 10.77.0.1 7777 "$KEY" "$WORK/b" 10.77.0.3 9000 \
  > "$WORK/receivers.out" 2> "$WORK/receivers.err" &
PIDS+=($!)
for _ in $(seq 1 300); do grep -q 'receivers ready' "$WORK/receivers.out" 2>/dev/null && break; sleep 0.1; done
grep -q 'receivers ready' "$WORK/receivers.out" || { echo "the receivers did not start:"; cat "$WORK/receivers.err"; exit 1; }

ip netns exec p2pb-a java -cp "$JAR" $MAIN sender 10.77.0.1 7777 "$KEY" "$MIB" "$ROUNDS" "$WORK/a" 10.77.0.3 9000
