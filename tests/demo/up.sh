#!/usr/bin/env bash
# make demo: a local Mattermost with the plugin enabled and the bridge running; writes .demo/env.
#   MM_PORT (8065)  PG_PORT (55432)  BRIDGE_PORT (8075)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export MM_INSTANCE=demo MM_PORT=${MM_PORT:-8065} PG_PORT=${PG_PORT:-55432}
bridge_port=${BRIDGE_PORT:-8075}
cache=${HEALTHCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mattermost-healthcheck}
run="$cache/run/demo"
die() { echo "[demo] error: $*" >&2; exit 1; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

bash "$root/tests/mattermost/up.sh"
set -a; source "$run/env"; set +a

MM_SERVICESETTINGS_SITEURL=$MM_URL MM_ADMIN_TOKEN=$MM_ADMIN_TOKEN make -s -C "$root" deploy

# The bridge, configured by its own setup command (idempotent: nothing changes on a second run).
node "$root/server-bridge/dist/main.js" setup --url "$MM_URL" --admin-token-file "$MM_SECRETS_DIR/admin-token" \
  --team "$MM_TEAM" --secrets-dir "$MM_SECRETS_DIR" --bridge-url "http://127.0.0.1:$bridge_port" > "$run/bridge.env" 2>"$run/setup.log"
{
  echo "HEALTHCHECK_LISTEN=127.0.0.1:$bridge_port"
  echo "HEALTHCHECK_STATE_FILE=$run/bridge-state.json"
  echo "HEALTHCHECK_ADMIN_TOKEN_FILE=$MM_SECRETS_DIR/admin-token"
} >> "$run/bridge.env"
if ! { [ -f "$run/bridge.pid" ] && kill -0 "$(cat "$run/bridge.pid")" 2>/dev/null; }; then
  port_taken "$bridge_port" && die "port $bridge_port is already in use; choose another with BRIDGE_PORT=..."
  (set -a; source <(grep -v '^#' "$run/bridge.env"); set +a; exec node "$root/server-bridge/dist/main.js" run >>"$run/bridge.log" 2>&1) &
  echo $! > "$run/bridge.pid"
fi
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$bridge_port/healthz" >/dev/null 2>&1 && break
  kill -0 "$(cat "$run/bridge.pid")" 2>/dev/null || { tail -20 "$run/bridge.log" >&2; die "the bridge exited while starting (log: $run/bridge.log)"; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$bridge_port/healthz" >/dev/null || die "the bridge did not answer /healthz (log: $run/bridge.log)"

preview_line=""
if [ -f "$root/tests/browser/preview.sh" ]; then
  preview_url=$(bash "$root/tests/browser/preview.sh" start)
  preview_line="PREVIEW_URL=$preview_url"
fi

mkdir -p "$root/.demo"
{
  echo "MM_URL=$MM_URL"
  echo "MM_ADMIN_USERNAME=$MM_ADMIN_USERNAME"
  echo "MM_ADMIN_PASSWORD=$MM_ADMIN_PASSWORD"
  echo "MM_ADMIN_TOKEN=$MM_ADMIN_TOKEN"
  echo "MM_TEAM=$MM_TEAM"
  echo "MM_OPS_CHANNEL=$MM_OPS_CHANNEL"
  echo "MM_LOG_CHANNEL=$MM_LOG_CHANNEL"
  echo "MM_PROBE_CHANNEL=$MM_PROBE_CHANNEL"
  echo "MM_BOT_USERNAME=$MM_BOT_USERNAME"
  echo "MM_BOT_USER_ID=$MM_BOT_USER_ID"
  echo "BRIDGE_URL=http://127.0.0.1:$bridge_port"
  [ -n "$preview_line" ] && echo "$preview_line"
  echo "DEMO_RUN_DIR=$run"
} > "$root/.demo/env"
chmod 600 "$root/.demo/env"

plugin_id=$(node -p "require('$root/plugin.json').id")
echo
if [ -n "${MM_WEBAPP_DIR:-}" ] && [ "$MM_WEBAPP_DIR" != none ]; then
  echo "  Mattermost        $MM_URL   (the real web app: sign in there)"
  echo "  health panel      $MM_URL/admin_console/plugins/plugin_$(node -p "require('$root/plugin.json').id")"
else
  echo "  Mattermost        $MM_URL   (API only: no compiled web app at ${MATTERMOST_CLIENT_DIR:-$cache/webapp-10.12.0}; see README)"
fi
echo "  admin             $MM_ADMIN_USERNAME / $MM_ADMIN_PASSWORD"
echo "  team, channels    $MM_TEAM: ~$MM_OPS_CHANNEL (incidents), ~$MM_LOG_CHANNEL (reports), ~$MM_PROBE_CHANNEL (probes)"
echo "  plugin            $plugin_id enabled"
echo "  bridge            http://127.0.0.1:$bridge_port  (/healthz, /readyz, /metrics; log: $run/bridge.log)"
if [ -n "$preview_line" ]; then
  echo "  preview           ${preview_line#PREVIEW_URL=}  (not the web app: the plugin's panel and cards on a labelled host page)"
fi
echo
echo "  Settings for scripts: .demo/env      Stop everything: make demo-down"
