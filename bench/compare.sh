#!/usr/bin/env bash
# Natter against its peers, all driven by the same load generator (`natter bench`): Natter on
# SQLite (`natter serve` through the ./natter launcher, so with its JVM settings), the bare Tyrus
# relay (the floor of our own stack), a Node `ws` relay and a Socket.IO room server.
#
# One command from a clean checkout (JDK 17+, Node 20+; builds with ./mvnw, `npm ci` in bench/):
#   bench/compare.sh
# Settings (environment variables, defaults in brackets):
#   RATES     fan-out rates to try, in deliveries per second ["10000 30000 50000 60000"]
#   MEMBERS   members of the room, each on its own connection [500]
#   SENDERS   members sending in turn [20]
#   RUNS      rounds [3]; WARMUP / MEASURE seconds per run [30 / 20]: a JVM on one core spends
#             its first half minute compiling (C2), which the warm-up must absorb for every target
#             alike (docs/benchmarks.md, "JIT warm-up")
#   TARGETS   ["natter bare-tyrus ws socketio"]; add natter-baseline with BASELINE_JAR=<an older
#             natter standalone jar> to measure a change before/after in the same run;
#             BASELINE_JAVA_OPTS (default: NATTER_JAVA_OPTS) gives natter-baseline its own JVM
#             options, so the same jar with two JVM settings can be compared too
#   SERVER_CPU / LOAD_CPU   cores for the server and the load generator (taskset) [0 / 1]
#   BUILD=0   use what is built; LOAD_JAVA_OPTS JVM options of the load generator ["-Xmx1g"]
#   P99_LIMIT the p99 (ms) under which a rate counts as sustained [100]
#   REUSE     an earlier run's output directory: its Natter data and bench users are copied, so
#             only missing users are registered (saves minutes of password hashing)
#
# Runs are interleaved (round 1: every rate and target, then round 2, ...) so that drifting
# background load hits every target alike; each run gets a fresh server pinned to SERVER_CPU and
# the load generator pinned to LOAD_CPU. Loopback only. Every process started here is stopped by
# its PID on exit. Results: bench/target/compare-<time>/ (JSON per run, logs, summary.md).
set -euo pipefail
cd "$(dirname "$0")/.."

RATES=${RATES:-"10000 30000 50000 60000"}
MEMBERS=${MEMBERS:-500}
SENDERS=${SENDERS:-20}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-30}
MEASURE=${MEASURE:-20}
TARGETS=${TARGETS:-"natter bare-tyrus ws socketio"}
SERVER_CPU=${SERVER_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
BUILD=${BUILD:-1}
LOAD_JAVA_OPTS=${LOAD_JAVA_OPTS:-"-Xmx1g"}
P99_LIMIT=${P99_LIMIT:-100}

for t in $TARGETS; do
  case $t in natter | bare-tyrus | ws | socketio) ;;
    natter-baseline) [[ -s ${BASELINE_JAR:-} ]] || { echo "natter-baseline needs BASELINE_JAR=<an older natter standalone jar>" >&2; exit 2; } ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
done
for tool in java node taskset; do
  command -v "$tool" >/dev/null || { echo "compare.sh needs $tool on the PATH" >&2; exit 2; }
done

OUT=bench/target/compare-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"

# --- build -------------------------------------------------------------------------------
if [[ $BUILD == 1 ]]; then
  echo "building natter and the bare Tyrus relay (./mvnw package, no UI)..."
  ./mvnw -B -q -Dskip.npm -pl chat-cli,chat-transport-tyrus -am package -DskipTests
fi
JAR=chat-cli/target/natter-standalone.jar
[[ -s $JAR ]] || { echo "no $JAR: build first (BUILD=1)" >&2; exit 2; }
[[ -f chat-transport-tyrus/target/test-classes/dev/natter/transport/bench/BareTyrusServer.class ]] ||
  { echo "BareTyrusServer is not compiled: build first (BUILD=1)" >&2; exit 2; }
# The load generator and the relay run from a copy: other builds may rewrite target/ meanwhile.
cp "$JAR" "$OUT/natter.jar"
cp -r chat-transport-tyrus/target/test-classes "$OUT/transport-test-classes"
if [[ ! -d bench/node_modules ]]; then
  (cd bench && npm ci --ignore-scripts --no-audit --no-fund)
fi
# more sockets for this script's processes, up to the hard limit (nothing system-wide)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# --- processes -----------------------------------------------------------------------------
SERVER_PID=""
LOAD_PID=""
PORT=""
stop_pid() { # pid: TERM, up to 30 s, then KILL
  local p=$1
  [[ -n $p ]] && kill -0 "$p" 2>/dev/null || return 0
  kill "$p" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$p" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -9 "$p" 2>/dev/null || true
}
cleanup() {
  stop_pid "$LOAD_PID"
  stop_pid "$SERVER_PID"
  LOAD_PID=""
  SERVER_PID=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_server TARGET CPUS LOG: starts it in the background; sets SERVER_PID and PORT
start_server() {
  local target=$1 cpus=$2 log=$3 portfile=$3.port
  case $target in
    natter)
      taskset -c "$cpus" env NATTER_SKIP_BUILD=1 ./natter serve --port 0 --no-ui \
        --data-dir "$OUT/natter-data" --send-rate 1000000/1s --read-rate 1000000/1s >"$log" 2>&1 &
      ;;
    natter-baseline)
      # an older build on the same data directory (same users and room), through today's launcher
      # (same JVM settings, so only the code differs); it may predate --read-rate, and fan-out
      # needs no reads
      taskset -c "$cpus" env NATTER_JAR="$BASELINE_JAR" \
        NATTER_JAVA_OPTS="${BASELINE_JAVA_OPTS-${NATTER_JAVA_OPTS:-}}" ./natter serve --port 0 --no-ui \
        --data-dir "$OUT/natter-data" --send-rate 1000000/1s >"$log" 2>&1 &
      ;;
    bare-tyrus)
      taskset -c "$cpus" java -cp "$OUT/transport-test-classes:$OUT/natter.jar" \
        dev.natter.transport.bench.BareTyrusServer 0 "$portfile" >"$log" 2>&1 &
      ;;
    ws) taskset -c "$cpus" node bench/peers/ws-server.mjs 0 "$portfile" >"$log" 2>&1 & ;;
    socketio) taskset -c "$cpus" node bench/peers/socketio-server.mjs 0 "$portfile" >"$log" 2>&1 & ;;
  esac
  SERVER_PID=$!
  local port=""
  for _ in $(seq 1 600); do
    if [[ $target == natter* ]]; then
      port=$(sed -n 's|.*serving http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$log" | head -n 1)
    elif [[ -s $portfile ]]; then
      port=$(cat "$portfile")
    fi
    [[ -n $port ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.2
  done
  [[ -n $port ]] || { echo "the $target server did not start (see $log)" >&2; return 1; }
  PORT=$port
}

protocol_of() {
  case $1 in natter | natter-baseline) echo natter ;; bare-tyrus | ws) echo relay ;; socketio) echo socketio ;; esac
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

echo "machine: nproc=$(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "java: $(java -version 2>&1 | head -n 1); node: $(node --version)"
echo "scenario: members=$MEMBERS senders=$SENDERS rates=[$RATES] deliveries/s, warmup=${WARMUP}s measure=${MEASURE}s runs=$RUNS server-cpu=$SERVER_CPU load-cpu=$LOAD_CPU"
echo "output: $OUT"

# --- the bench users, once: registering hashes passwords, so it gets every core ------------
if [[ " $TARGETS " == *" natter"* ]]; then
  if [[ -n ${REUSE:-} ]]; then
    [[ -s $REUSE/accounts.json && -d $REUSE/natter-data ]] ||
      { echo "REUSE=$REUSE has no accounts.json and natter-data" >&2; exit 2; }
    echo "reusing the bench users and data of $REUSE"
    cp -r "$REUSE/natter-data" "$OUT/natter-data"
    cp "$REUSE/accounts.json" "$OUT/accounts.json"
  fi
  echo "setting up $MEMBERS bench users and their room on Natter (once; kept ones are reused)..."
  start_server natter "0-$(($(nproc) - 1))" "$OUT/natter-setup.log" || exit 1
  # on a busy machine a registration may wait past the bench's patience (429): the accounts file
  # keeps the users made so far, so another attempt goes on from there
  for attempt in 1 2 3 4 5; do
    if java $LOAD_JAVA_OPTS -jar "$OUT/natter.jar" bench --setup-only --server "http://127.0.0.1:$PORT" \
      --members "$MEMBERS" --accounts "$OUT/accounts.json" >"$OUT/setup-$attempt.log" 2>&1; then
      grep -v '^bench: registering' "$OUT/setup-$attempt.log" || true
      break
    fi
    tail -n 1 "$OUT/setup-$attempt.log"
    [[ $attempt == 5 ]] && { echo "the setup failed (see $OUT/setup-*.log)" >&2; exit 1; }
  done
  cleanup
fi

# --- the runs --------------------------------------------------------------------------------
for run in $(seq 1 "$RUNS"); do
  for rate in $RATES; do
    for target in $TARGETS; do
      name=$target-$rate-$run
      before=$(loadavg)
      if ! start_server "$target" "$SERVER_CPU" "$OUT/$name.server.log"; then
        cleanup
        continue
      fi
      args=(bench --protocol "$(protocol_of "$target")" --server "http://127.0.0.1:$PORT"
        --workload fanout --members "$MEMBERS" --senders "$SENDERS" --delivery-rate "$rate"
        --warmup "${WARMUP}s" --duration "${MEASURE}s" --server-pid "$SERVER_PID"
        --json "$OUT/$name.json")
      [[ $target == natter* ]] && args+=(--accounts "$OUT/accounts.json")
      timeout $((WARMUP + MEASURE + 600)) taskset -c "$LOAD_CPU" \
        java $LOAD_JAVA_OPTS -jar "$OUT/natter.jar" "${args[@]}" >"$OUT/$name.load.log" 2>&1 &
      LOAD_PID=$!
      status=0
      wait "$LOAD_PID" || status=$?
      LOAD_PID=""
      cleanup
      after=$(loadavg)
      if [[ $status != 0 || ! -s $OUT/$name.json ]]; then
        echo "run $run, $rate/s, $target: no result (exit $status, see $OUT/$name.load.log)"
        continue
      fi
      line=$(node -e '
        const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        const l = r.latency || {};
        console.log(`delivered ${Math.round(r.deliveriesPerSecond)}/s, not delivered ${r.notDelivered} of ${r.expectedDeliveries}, p50 ${l.p50} ms, p99 ${l.p99} ms, p99.9 ${l.p999} ms, max ${l.max} ms`);
      ' "$OUT/$name.json")
      echo "run $run, $rate/s, $target: $line | load avg $before -> $after"
    done
  done
done

echo
node bench/summarize.mjs "$OUT" "$TARGETS" "$RATES" "$P99_LIMIT"
echo
echo "written: $OUT/summary.md"
