#!/usr/bin/env bash
# Real-terminal smoke test of `natter chat`: starts a server from the built jar on a free port,
# drives the terminal client in tmux (send-keys) and checks the screen (capture-pane).
# Exits non-zero, printing the screen, when something is not there.
#
#   scripts/tui-smoke.sh            (builds the jar through ./natter if needed; needs tmux)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/chat-cli/target/natter-standalone.jar"
command -v tmux >/dev/null || { echo "tui-smoke: tmux is required (apt-get install tmux)" >&2; exit 1; }
if [ ! -f "$JAR" ]; then
  "$ROOT/natter" --version >/dev/null
fi

WORK="$(mktemp -d)"
SESSION="natter-smoke-$$"
SERVER_PID=""
cleanup() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  tmux kill-session -t "$SESSION-help" 2>/dev/null || true
  if [ -n "$SERVER_PID" ]; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

natter() { java -jar "$JAR" "$@"; }
fail() {
  echo "tui-smoke: FAILED: $*" >&2
  echo "----- screen -----" >&2
  tmux capture-pane -p -t "$SESSION" >&2 || true
  echo "------------------" >&2
  exit 1
}
screen() { tmux capture-pane -p -t "$SESSION"; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT
wait_for() {
  local text="$1" limit="${2:-15}" i
  for ((i = 0; i < limit * 10; i++)); do
    if screen | grep -qF -- "$text"; then return 0; fi
    sleep 0.1
  done
  fail "'$text' did not appear within ${limit}s"
}

die() {
  echo "tui-smoke: FAILED: $*" >&2
  exit 1
}

# 0. help texts wrap to the terminal's width: in 70 columns no line of `serve --help` is wider
# (capture-pane -J joins the lines tmux itself had to wrap)
tmux new-session -d -s "$SESSION-help" -x 70 -y 200 "java -jar $JAR serve --help; sleep 30"
for ((i = 0; i < 300; i++)); do
  tmux capture-pane -p -t "$SESSION-help" | grep -q "natter serve --port 9000" && break
  sleep 0.1
done
HELP="$(tmux capture-pane -p -J -t "$SESSION-help")"
tmux kill-session -t "$SESSION-help"
echo "$HELP" | grep -qF "natter serve --port 9000" || die "no serve --help in 70 columns: $HELP"
echo "$HELP" | grep -qF "Run the server: browser UI, HTTP API and WebSocket." \
  || die "the summary of serve --help is not whole: $HELP"
WIDE="$(echo "$HELP" | awk 'length($0) > 70')"
[ -z "$WIDE" ] || die "serve --help is wider than the 70-column terminal: $WIDE"

# 1. a server on a free port (port 0: it prints the URL it got), logging at level info
# java itself in the background (not a shell function), so that $! is the server's own pid
java -jar "$JAR" serve --port 0 --data-dir "$WORK/data" --verbose >"$WORK/serve.log" 2>&1 &
SERVER_PID=$!
for ((i = 0; i < 300; i++)); do
  grep -q "serving http" "$WORK/serve.log" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/serve.log" >&2; exit 1; }
  sleep 0.1
done
URL="$(sed -n 's/.*serving \(http[^ ]*\)\/$/\1/p' "$WORK/serve.log" | head -n 1)"
[ -n "$URL" ] || { cat "$WORK/serve.log" >&2; echo "tui-smoke: no server URL" >&2; exit 1; }
echo "tui-smoke: server at $URL"
# one logging set-up: SLF4J has its provider, and Grizzly's java.util.logging comes through it
! grep -F "SLF4J" "$WORK/serve.log" || die "SLF4J complains at start-up (above)"
grep -qE "^[0-9:.]+ INFO NetworkListener - Started listener" "$WORK/serve.log" \
  || die "Grizzly's log (java.util.logging) does not reach SLF4J: $(cat "$WORK/serve.log")"

# 2. two accounts, each with its own config file
export NATTER_SERVER="$URL"
PW="correct horse battery"
echo "$PW" | NATTER_CONFIG="$WORK/alice/config.json" natter register -u alice --password-stdin \
  >/dev/null 2>"$WORK/register.err"
echo "$PW" | NATTER_CONFIG="$WORK/bob/config.json" natter register -u bob --password-stdin >/dev/null
# quiet by default: a command that succeeds writes nothing on stderr
[ ! -s "$WORK/register.err" ] || die "natter register wrote on stderr: $(cat "$WORK/register.err")"
bob() { NATTER_CONFIG="$WORK/bob/config.json" natter "$@"; }

# 3. alice in the terminal client
tmux new-session -d -s "$SESSION" -x 120 -y 30 \
  "env NATTER_SERVER=$URL NATTER_CONFIG=$WORK/alice/config.json java -jar $JAR chat; sleep 30"
wait_for "connected to" 30
wait_for "[online]"

# Tab completes a command
tmux send-keys -t "$SESSION" "/cre" Tab
wait_for "(no room)] /create"
tmux send-keys -t "$SESSION" "general public" Enter
wait_for "now in #general"
wait_for "[#general]"
tmux send-keys -t "$SESSION" "/invite bob" Enter
wait_for "added bob to #general"
tmux send-keys -t "$SESSION" "hello from alice" Enter
wait_for "<alice> hello from alice"

# bob, from a script: reads the history and answers; alice sees it above her prompt
bob history general | grep -q "<alice> hello from alice" || fail "bob's history lacks alice's message"
bob send general "hi alice, bob here" >/dev/null
wait_for "#general #2 <bob> hi alice, bob here"

# hostile text from bob is shown cleaned, and does not clear alice's screen
bob send general "$(printf 'before\033[2J\033]0;pwned\007after')" >/dev/null
wait_for "<bob> beforeafter"
screen | grep -qF "hello from alice" || fail "the screen was cleared by an escape sequence"

# a DM from bob: unread in the status line, Alt-A jumps there
bob send @alice "a direct word" >/dev/null
wait_for "<bob> a direct word"
wait_for "@bob(1)"
tmux send-keys -t "$SESSION" M-a
wait_for "now in @bob"
wait_for "[@bob]"

# /who and /quit
tmux send-keys -t "$SESSION" "/who" Enter
wait_for "@bob: 2 members"
tmux send-keys -t "$SESSION" "/quit" Enter
for ((i = 0; i < 100; i++)); do
  screen | grep -q "\[@bob\]" || break
  sleep 0.1
done
echo "tui-smoke: ok"
