#!/usr/bin/env bash
# npm run playground: the bot in local mode plus Microsoft 365 Agents Playground (a local Teams
# client) talking to it at http://127.0.0.1:3978/api/messages, with two people:
#   http://127.0.0.1:56150  Anna Förskrivare, a prescriber (config/playground/forskrivare.yml)
#   http://127.0.0.1:56151  Sara Support, support staff with the team "webSesam-supporten"
#                           (config/playground/support.yml; her id is added to SUPPORT_STAFF_IDS)
# Each window is its own playground with its own mock connector; the bot keeps each chat's
# service URL, so a ticket Anna opens lands in Sara's channel and Sara's answer in Anna's chat.
#
# The playground listens on every interface and tries to reach a cloud metadata address, so by
# default everything runs inside its own network namespace (unshare -n) with only loopback:
# nothing leaves the machine and nothing outside reaches in. A browser must then run in that
# namespace too (PLAYGROUND_BROWSER=1 starts headless Chromium there and saves screenshots). On a
# desktop where you want your own browser, PLAYGROUND_NETNS=0 runs without the namespace.
# PLAYGROUND_EXIT=1 stops everything it started once both windows answer (a smoke test).
# PLAYGROUND_CONVERSE=file types each line of the file into Anna's window and saves a screenshot
# per exchange (scripts/playground-converse.ts); with PLAYGROUND_EXIT=1 a failed check exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."

BOT_PORT="${BOT_PORT:-3978}"
PLAYGROUND_PORT="${PLAYGROUND_PORT:-56150}"
PLAYGROUND_SUPPORT_PORT="${PLAYGROUND_SUPPORT_PORT:-56151}"
PRESCRIBER_CONFIG="${PLAYGROUND_PRESCRIBER_CONFIG:-config/playground/forskrivare.yml}"
SUPPORT_CONFIG="${PLAYGROUND_SUPPORT_CONFIG:-config/playground/support.yml}"
# Sara Support's aadObjectId in config/playground/support.yml.
SUPPORT_PERSON_ID="00000000-0000-0000-0000-0000000000a2"

if [ "${PLAYGROUND_NETNS:-1}" = "1" ] && [ -z "${PLAYGROUND_INSIDE:-}" ]; then
  exec unshare -n env PLAYGROUND_INSIDE=1 bash "$0" "$@"
fi
if [ -n "${PLAYGROUND_INSIDE:-}" ]; then
  ip link set lo up # a new namespace starts with loopback down
fi

# The playground opens a browser when it starts; on a machine without a desktop that must do nothing.
shim="$(mktemp -d)"
printf '#!/bin/sh\nexit 0\n' >"$shim/xdg-open"
chmod +x "$shim/xdg-open"
export PATH="$shim:$PATH"

# Job control: every background job gets its own process group, so a stop reaches the whole job
# (a wrapper's children included) and nothing is left behind with parent 1.
set -m
pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$shim"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_for() {
  for _ in $(seq 1 150); do
    if curl -fsS "$1" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  curl -fsS "$1" >/dev/null
}

data_dir="${DATA_DIR:-./data/playground}"
mkdir -p "$data_dir"

# Local mode: no Microsoft App credentials, so the bot accepts the playground's unsigned requests.
# node --import tsx, not npx: one process, so stopping it stops the bot.
staff="${SUPPORT_STAFF_IDS:+$SUPPORT_STAFF_IDS,}$SUPPORT_PERSON_ID"
env -u MicrosoftAppId -u MicrosoftAppPassword PORT="$BOT_PORT" HOST=127.0.0.1 \
  SUPPORT_STAFF_IDS="$staff" \
  DATA_DIR="$data_dir" LOG_LEVEL="${LOG_LEVEL:-info}" \
  node --import tsx src/main.ts &
pids+=($!)
wait_for "http://127.0.0.1:$BOT_PORT/healthz"

start_playground() { # port config; its log goes beside the bot's data, not into the repository
  M365_AGENTS_PLAYGROUND_CONFIG_PATH="$2" TEAMSAPPTESTER_BROWSER=none \
    M365_AGENTS_PLAYGROUND_LOGFILE="$data_dir/playground-$1.log" \
    node node_modules/@microsoft/m365agentsplayground/cli.js start \
    --app-endpoint "http://127.0.0.1:$BOT_PORT/api/messages" \
    --channel-id msteams \
    --disable-telemetry \
    --port "$1" &
  pids+=($!)
}
start_playground "$PLAYGROUND_PORT" "$PRESCRIBER_CONFIG"
start_playground "$PLAYGROUND_SUPPORT_PORT" "$SUPPORT_CONFIG"
wait_for "http://127.0.0.1:$PLAYGROUND_PORT/"
wait_for "http://127.0.0.1:$PLAYGROUND_SUPPORT_PORT/"

echo "playground, prescriber (Anna Förskrivare):  http://127.0.0.1:$PLAYGROUND_PORT"
echo "playground, support (Sara Support, staff):  http://127.0.0.1:$PLAYGROUND_SUPPORT_PORT"
echo "bot:                                        http://127.0.0.1:$BOT_PORT/api/messages"

if [ "${PLAYGROUND_BROWSER:-0}" = "1" ]; then
  # The tests' Chromium (system or npm package): no system browser needed. A failure says why.
  node --import tsx scripts/playground-screenshot.ts "${PLAYGROUND_SCREENSHOT:-playground}" \
    "$PLAYGROUND_PORT" "$PLAYGROUND_SUPPORT_PORT" || echo "no screenshot (see the error above)" >&2
fi
if [ -n "${PLAYGROUND_CONVERSE:-}" ]; then
  # A conversation check in Anna's window: one message a line, a screenshot per exchange.
  node --import tsx scripts/playground-converse.ts "$PLAYGROUND_CONVERSE" "$PLAYGROUND_PORT" \
    "${PLAYGROUND_SCREENSHOT:-playground}-samtal" || { [ -z "${PLAYGROUND_EXIT:-}" ] || exit 1; }
fi
[ -n "${PLAYGROUND_EXIT:-}" ] && exit 0

wait -n "${pids[@]}"
