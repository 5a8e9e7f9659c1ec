#!/bin/sh
# One interleaved round set, A B B A: A = p2pchat's LoadTest, B = the two baselines (the
# re-created original app, synchronous OFF then FULL, and Prosody). /proc/loadavg is printed
# before every run; each run's output goes to benchmarks/results/<prefix>-<n>-<what>.txt.
# Run from the repository root after building the benchmarks jar:
#   mvn -o -q -pl benchmarks -am package -DskipTests -Djapicmp.skip=true
# Usage: benchmarks/baselines/rounds.sh PREFIX [ARCHIVE=internal|sql] [history rounds of the first B]
set -eu
PREFIX=$1; ARCHIVE=${2:-internal}; HIST=${3:-1}
OUT=benchmarks/results
run() { # name, command...
  name=$1; shift
  f="$OUT/$PREFIX-$name.txt"
  { echo "# $(date -u +%FT%TZ) $*"; echo "# loadavg: $(cat /proc/loadavg)"; "$@"; } > "$f" 2>&1 || echo "FAILED: $f"
  echo "wrote $f"
}
p2pchat() { run "$1-p2pchat" java -Dp2pchat.load.skip=echo,open -cp benchmarks/target/benchmarks.jar org.p2pchat.benchmarks.LoadTest 5 8 64; }
baselines() {
  run "$1-original-app-sync-off" python3 benchmarks/baselines/original_app/load.py 5
  run "$1-original-app-sync-full" python3 benchmarks/baselines/original_app/load.py 5 --synchronous FULL
  run "$1-prosody-$ARCHIVE" env ARCHIVE=$ARCHIVE HISTORY_ROUNDS=$2 benchmarks/baselines/prosody/run.sh 5
}
p2pchat 1; baselines 2 "$HIST"; baselines 3 0; p2pchat 4
