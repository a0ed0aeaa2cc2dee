#!/usr/bin/env bash
# npm run playground: the bot in local mode plus Microsoft 365 Agents Playground (a local Teams
# client) talking to it at http://127.0.0.1:3978/api/messages, ready to chat at
# http://127.0.0.1:56150.
#
# The playground listens on every interface and tries to reach a cloud metadata address, so by
# default both run inside their own network namespace (unshare -n) with only loopback: nothing
# leaves the machine and nothing outside reaches in. A browser must then run in that namespace too
# (PLAYGROUND_BROWSER=1 starts headless Chromium there and saves a screenshot). On a desktop where
# you want your own browser, PLAYGROUND_NETNS=0 runs without the namespace.
set -euo pipefail
cd "$(dirname "$0")/.."

BOT_PORT="${BOT_PORT:-3978}"
PLAYGROUND_PORT="${PLAYGROUND_PORT:-56150}"

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

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$shim"
}
trap cleanup EXIT INT TERM

# Local mode: no Microsoft App credentials, so the bot accepts the playground's unsigned requests.
env -u MicrosoftAppId -u MicrosoftAppPassword PORT="$BOT_PORT" HOST=127.0.0.1 \
  DATA_DIR="${DATA_DIR:-./data/playground}" LOG_LEVEL="${LOG_LEVEL:-info}" \
  npx --no-install tsx src/main.ts &
pids+=($!)

for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$BOT_PORT/healthz" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$BOT_PORT/healthz" >/dev/null

node node_modules/@microsoft/m365agentsplayground/cli.js start \
  --app-endpoint "http://127.0.0.1:$BOT_PORT/api/messages" \
  --channel-id msteams \
  --port "$PLAYGROUND_PORT" &
pids+=($!)

for _ in $(seq 1 150); do
  if curl -fsS "http://127.0.0.1:$PLAYGROUND_PORT/" >/dev/null 2>&1; then break; fi
  sleep 0.2
done
echo "playground: http://127.0.0.1:$PLAYGROUND_PORT  (bot: http://127.0.0.1:$BOT_PORT/api/messages)"

if [ "${PLAYGROUND_BROWSER:-0}" = "1" ]; then
  out="${PLAYGROUND_SCREENSHOT:-playground.png}"
  chromium --headless --no-sandbox --disable-gpu --window-size=1280,900 \
    --virtual-time-budget=15000 --screenshot="$out" "http://127.0.0.1:$PLAYGROUND_PORT/" >/dev/null 2>&1 || true
  echo "screenshot: $out"
  [ -n "${PLAYGROUND_EXIT:-}" ] && exit 0
fi

wait -n "${pids[@]}"
