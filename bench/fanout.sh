#!/usr/bin/env bash
# Transport fan-out comparison: Natter against a bare Tyrus relay, a Node `ws` relay and a
# Socket.IO room server, all driven by the same load generator (FanoutBench load mode).
#
# Build the Java side first (this script builds nothing but `npm ci` in bench/):
#   ./mvnw -q -pl chat-transport-tyrus -am test-compile
#   ./mvnw -q -pl chat-transport-tyrus dependency:build-classpath -Dmdep.includeScope=test \
#       -Dmdep.outputFile="$PWD/bench/target/classpath.txt"
# Then, from the repository root:
#   bench/fanout.sh
#
# Per target and run: the server on core SERVER_CPU (taskset), the load generator on core
# LOAD_CPU; MEMBERS connections in one room, RATE messages/s from 20 members in turn, WARMUP s
# discarded, MEASURE s measured. Runs are interleaved (round 1: every target, round 2: ...) so
# that drifting background load hits every target alike. Loopback only. Every process it starts
# is stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
MEMBERS=${MEMBERS:-500}
RATE=${RATE:-20}
WARMUP=${WARMUP:-20}
MEASURE=${MEASURE:-20}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
TARGETS=${TARGETS:-"natter bare-tyrus ws socketio"}
CPFILE=bench/target/classpath.txt

if [[ ! -s $CPFILE || ! -d chat-transport-tyrus/target/test-classes/dev/natter/transport/bench ]]; then
  echo "build first (see the top of $0): $CPFILE or the test classes are missing" >&2
  exit 2
fi
OUT=bench/target/fanout-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
# Snapshot the compiled classes: other builds on this checkout may clean target/ during the runs.
for d in chat-transport-tyrus/target/classes/dev/natter/transport/NatterServer.class \
  chat-transport-tyrus/target/test-classes/dev/natter/transport/bench/FanoutBench.class \
  chat-core/target/classes/dev/natter/core/ChatEngine.class; do
  [[ -f $d ]] || { echo "missing $d: build first (see the top of $0)" >&2; exit 2; }
done
mkdir -p "$OUT/cp"
cp -r chat-transport-tyrus/target/classes "$OUT/cp/transport"
cp -r chat-transport-tyrus/target/test-classes "$OUT/cp/transport-test"
cp -r chat-core/target/classes "$OUT/cp/core"
CP="$OUT/cp/transport:$OUT/cp/transport-test:$OUT/cp/core:$(cat "$CPFILE")"
if [[ ! -d bench/node_modules ]]; then
  (cd bench && npm ci --ignore-scripts --no-audit --no-fund)
fi
ulimit -n 8192 2>/dev/null || ulimit -n 4096 2>/dev/null || true

RESULTS=$OUT/results.txt
: >"$RESULTS"

SERVER_PID=""
LOAD_PID=""
cleanup() {
  for p in $LOAD_PID $SERVER_PID; do
    if kill -0 "$p" 2>/dev/null; then
      kill "$p" 2>/dev/null || true
      sleep 0.5
      kill -9 "$p" 2>/dev/null || true
    fi
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

echo "machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "java: $(java -version 2>&1 | head -2 | tail -1)"
echo "node: $(node --version), ws $(node -p 'require("./bench/node_modules/ws/package.json").version'), socket.io $(node -p 'require("./bench/node_modules/socket.io/package.json").version')"
echo "scenario: members=$MEMBERS rate=$RATE/s warmup=${WARMUP}s measure=${MEASURE}s runs=$RUNS server-cpu=$SERVER_CPU load-cpu=$LOAD_CPU"
echo "output: $OUT"

start_server() { # target port-file log
  local target=$1 portfile=$2 log=$3
  case $target in
    natter) taskset -c "$SERVER_CPU" java -cp "$CP" dev.natter.transport.bench.FanoutBench server "$portfile" >"$log" 2>&1 & ;;
    bare-tyrus) taskset -c "$SERVER_CPU" java -cp "$CP" dev.natter.transport.bench.BareTyrusServer 0 "$portfile" >"$log" 2>&1 & ;;
    ws) taskset -c "$SERVER_CPU" node bench/peers/ws-server.mjs 0 "$portfile" >"$log" 2>&1 & ;;
    socketio) taskset -c "$SERVER_CPU" node bench/peers/socketio-server.mjs 0 "$portfile" >"$log" 2>&1 & ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
  SERVER_PID=$!
}

protocol_of() {
  case $1 in natter) echo natter ;; bare-tyrus | ws) echo relay ;; socketio) echo socketio ;; esac
}

for run in $(seq 1 "$RUNS"); do
  for target in $TARGETS; do
    portfile=$OUT/$target-$run.port
    before=$(loadavg)
    start_server "$target" "$portfile" "$OUT/$target-$run.server.log"
    for _ in $(seq 1 150); do
      [[ -s $portfile ]] && break
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.2
    done
    if [[ ! -s $portfile ]]; then
      echo "run $run $target: the server did not start (see $OUT/$target-$run.server.log)"
      cleanup
      SERVER_PID=""
      continue
    fi
    port=$(cat "$portfile")
    log=$OUT/$target-$run.load.log
    timeout $((WARMUP + MEASURE + 240)) taskset -c "$LOAD_CPU" \
      java -cp "$CP" dev.natter.transport.bench.FanoutBench load "$(protocol_of "$target")" \
      "$port" "$MEMBERS" "$RATE" "$WARMUP" "$MEASURE" >"$log" 2>&1 &
    LOAD_PID=$!
    wait "$LOAD_PID" || echo "run $run $target: load generator exited with $? (see $log)"
    LOAD_PID=""
    cleanup
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    after=$(loadavg)
    line=$(grep '^RESULT ' "$log" || true)
    if [[ -z $line ]]; then
      echo "run $run $target: no result (see $log)"
      continue
    fi
    echo "run $run $target: ${line#RESULT } | load avg before $before, after $after"
    echo "$target $run ${line#RESULT } before=${before// /,} after=${after// /,}" >>"$RESULTS"
  done
done

echo
awk -v targets="$TARGETS" '
  function field(name,   i, kv) {
    for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
    return ""
  }
  function median(list,   a, n, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    if (n == 0) return -1
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  {
    t = $1; runs[t]++
    p50[t] = p50[t] " " field("p50"); p99[t] = p99[t] " " field("p99"); p999[t] = p999[t] " " field("p999")
    del[t] += field("deliveries"); want[t] += field("expected"); closed[t] += field("closed")
  }
  END {
    n = split(targets, order, " ")
    printf "| target | runs | median p50 | median p99 | median p99.9 | deliveries / expected | closed |\n"
    printf "|---|---|---|---|---|---|---|\n"
    for (i = 1; i <= n; i++) {
      t = order[i]; if (!runs[t]) continue
      m50[t] = median(p50[t]); m99[t] = median(p99[t]); m999[t] = median(p999[t])
      printf "| %s | %d | %.2f ms | %.2f ms | %.2f ms | %d / %d | %d |\n", t, runs[t], m50[t], m99[t], m999[t], del[t], want[t], closed[t]
    }
    if (!runs["natter"]) exit
    printf "\n| ratio | p50 | p99 | p99.9 |\n|---|---|---|---|\n"
    for (i = 1; i <= n; i++) {
      t = order[i]; if (t == "natter" || !runs[t]) continue
      printf "| Natter / %s | %.2f | %.2f | %.2f |\n", t, m50["natter"] / m50[t], m99["natter"] / m99[t], m999["natter"] / m999[t]
    }
  }' "$RESULTS" | tee "$OUT/summary.md"
