#!/usr/bin/env bash
# Soak: CONNECTIONS clients chatting on one Natter server (SQLite) for MINUTES minutes on loopback;
# every minute the server's heap after a full GC, its threads, its open file descriptors and the
# minute's delivery p99 go into a table, printed as it grows and appended to docs/operations.md
# at the end (APPEND=0 to only print). Flat lines are the goal: a leak shows as a rising column.
#
# One command from a clean checkout (JDK 17+ with jcmd, Node for reading the results; builds with
# ./mvnw; not part of verify):
#   bench/soak.sh                       # 30 minutes
#   MINUTES=3 bench/soak.sh             # a short run
# Settings (environment variables, defaults in brackets):
#   MINUTES      length of the soak [30]
#   CONNECTIONS  clients, each on its own connection, all members of one room [1000]
#   RATE         deliveries per second into the room (RATE / CONNECTIONS messages a second) [2000]
#   SENDERS      members sending in turn [20]
#   BUILD=0      use the jar that is built; LOAD_JAVA_OPTS JVM options of the load generator [-Xmx1g]
#   SERVER_JAVA_OPTS JVM options of the server ["-Xmx512m"]
#   DATA_DIR     the server's data directory [a fresh one in the output directory]; give the same
#                one again to reuse its bench users (their tokens are kept in it): registering 1,000
#                users costs 1,000 password hashes, which takes minutes on a small machine
#
# How: `natter serve` on a fresh data directory; `natter bench --setup-only` registers the users
# and the room once; then one `natter bench --workload fanout` per minute (each reconnects its
# CONNECTIONS sockets, so a minute also holds a reconnect burst, as after a network blip), and
# after each, `jcmd GC.run` + `GC.heap_info`, /proc/<pid>/status and /proc/<pid>/fd of the
# server. Every process started here is stopped by its PID on exit. Output: bench/target/soak-*/.
set -euo pipefail
cd "$(dirname "$0")/.."

MINUTES=${MINUTES:-30}
CONNECTIONS=${CONNECTIONS:-1000}
RATE=${RATE:-2000}
SENDERS=${SENDERS:-20}
BUILD=${BUILD:-1}
APPEND=${APPEND:-1}
LOAD_JAVA_OPTS=${LOAD_JAVA_OPTS:-"-Xmx1g"}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-"-Xmx512m"}

for tool in java jcmd node; do
  command -v "$tool" >/dev/null || { echo "soak.sh needs $tool on the PATH" >&2; exit 2; }
done

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true # the load generator holds CONNECTIONS sockets
OUT=bench/target/soak-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
if [[ $BUILD == 1 ]]; then
  echo "building natter (./mvnw package, no UI)..."
  ./mvnw -B -q -Dskip.npm -pl chat-cli -am package -DskipTests
fi
JAR=chat-cli/target/natter-standalone.jar
[[ -s $JAR ]] || { echo "no $JAR: build first (BUILD=1)" >&2; exit 2; }
cp "$JAR" "$OUT/natter.jar"
DATA_DIR=${DATA_DIR:-$OUT/natter-data}
ACCOUNTS=${ACCOUNTS:-$DATA_DIR/bench-accounts.json}
mkdir -p "$DATA_DIR"

SERVER_PID=""
LOAD_PID=""
stop_pid() {
  local pid=$1
  [[ -n $pid ]] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$LOAD_PID"
  stop_pid "$SERVER_PID"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

java $SERVER_JAVA_OPTS -jar "$OUT/natter.jar" serve --port 0 --no-ui --data-dir "$DATA_DIR" \
  --send-rate 1000000/1s --read-rate 1000000/1s >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 600); do
  PORT=$(sed -n 's|.*serving http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$OUT/server.log" | head -n 1)
  [[ -n $PORT ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.2
done
[[ -n $PORT ]] || { echo "the server did not start (see $OUT/server.log)" >&2; exit 1; }
SERVER="http://127.0.0.1:$PORT"

echo "soak: $CONNECTIONS connections, $RATE deliveries/s, $MINUTES minutes; server pid $SERVER_PID on $SERVER"
echo "machine: nproc=$(nproc), load avg $(cut -d' ' -f1-3 /proc/loadavg); output: $OUT"
# registering hashes a password per user (about a second each on a busy machine): a refused
# registration (429) ends one setup run, the next one goes on from the users it kept
setup_ok=0
for attempt in $(seq 1 30); do
  if java $LOAD_JAVA_OPTS -jar "$OUT/natter.jar" bench --setup-only --server "$SERVER" \
    --members "$CONNECTIONS" --accounts "$ACCOUNTS" >>"$OUT/setup.log" 2>&1; then
    setup_ok=1
    break
  fi
  sleep 5
done
[[ $setup_ok == 1 ]] || { echo "the setup failed (see $OUT/setup.log)" >&2; exit 1; }

# heap used after a full GC, in MiB
heap_after_gc() {
  jcmd "$SERVER_PID" GC.run >/dev/null 2>&1 || true
  jcmd "$SERVER_PID" GC.heap_info 2>/dev/null |
    sed -n 's/.* used \([0-9]*\)K.*/\1/p' | head -n 1 | awk '{ printf "%.1f", $1 / 1024 }'
}
threads() { sed -n 's/^Threads:[[:space:]]*//p' "/proc/$SERVER_PID/status"; }
fds() { ls "/proc/$SERVER_PID/fd" | wc -l; }
json_field() { # FILE: "p99 notDelivered deliveriesPerSecond"
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`${(r.latency || {}).p99 ?? "?"} ${r.notDelivered ?? "?"} ${Math.round(r.deliveriesPerSecond ?? 0)}`);
  ' "$1" 2>/dev/null || echo "? ? ?"
}

TABLE="$OUT/table.md"
{
  echo "| minute | heap after GC (MiB) | threads | open fds | deliveries/s | not delivered | p99 (ms) | load avg |"
  echo "|---|---|---|---|---|---|---|---|"
  echo "| 0 | $(heap_after_gc) | $(threads) | $(fds) | — | — | — | $(cut -d' ' -f1 /proc/loadavg) |"
} >"$TABLE"
cat "$TABLE"

for minute in $(seq 1 "$MINUTES"); do
  json="$OUT/minute-$minute.json"
  timeout 600 java $LOAD_JAVA_OPTS -jar "$OUT/natter.jar" bench --server "$SERVER" \
    --workload fanout --members "$CONNECTIONS" --senders "$SENDERS" --delivery-rate "$RATE" \
    --warmup 5s --duration 45s --accounts "$ACCOUNTS" --json "$json" \
    >"$OUT/minute-$minute.log" 2>&1 &
  LOAD_PID=$!
  wait "$LOAD_PID" || echo "minute $minute: the load generator failed (see $OUT/minute-$minute.log)" >&2
  LOAD_PID=""
  if [[ -s $json ]]; then
    read -r p99 lost rate <<<"$(json_field "$json")"
  else
    p99="?" lost="?" rate="?"
  fi
  row="| $minute | $(heap_after_gc) | $(threads) | $(fds) | $rate | $lost | $p99 | $(cut -d' ' -f1 /proc/loadavg) |"
  echo "$row" >>"$TABLE"
  echo "$row"
done

if [[ $APPEND == 1 ]]; then
  {
    echo
    echo "### Soak run of $(date -u +%Y-%m-%d) ($MINUTES minutes)"
    echo
    echo "\`MINUTES=$MINUTES CONNECTIONS=$CONNECTIONS RATE=$RATE SENDERS=$SENDERS bench/soak.sh\` on $(nproc) cores" \
      "(load average at the end $(cut -d' ' -f1-3 /proc/loadavg)); server \`$SERVER_JAVA_OPTS\`."
    echo
    cat "$TABLE"
  } >>docs/operations.md
  echo "appended to docs/operations.md"
fi
