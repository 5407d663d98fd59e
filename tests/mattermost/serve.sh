#!/usr/bin/env bash
# (Re)starts the Mattermost server of an instance prepared by up.sh, keeping its data, and waits
# for ping. Fault tests use it to bring a stopped server back.
set -euo pipefail
instance=${MM_INSTANCE:-demo}
mm_port=${MM_PORT:-8065}
cache=${HEALTHCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mattermost-healthcheck}
run="$cache/run/$instance"
site="http://127.0.0.1:$mm_port"
die() { echo "[mattermost-serve:$instance] error: $*" >&2; exit 1; }
[ -f "$run/mattermost.env" ] || die "no prepared instance in $run: run up.sh first"
if [ -f "$run/mattermost.pid" ] && kill -0 "$(cat "$run/mattermost.pid")" 2>/dev/null; then exit 0; fi
mapfile -t env_vars < "$run/mattermost.env"
start=$(date +%s)
(cd "$run/mm" && exec env "${env_vars[@]}" ./bin/mattermost server --config "$run/mm/config/config.json" \
  >>"$run/mm/logs/console.log" 2>&1) &
echo $! > "$run/mattermost.pid"
for _ in $(seq 1 240); do
  if curl -fsS "$site/api/v4/system/ping" 2>/dev/null | grep -q '"status":"OK"'; then
    echo "[mattermost-serve:$instance] answering at $site after $(( $(date +%s) - start ))s" >&2
    exit 0
  fi
  kill -0 "$(cat "$run/mattermost.pid")" 2>/dev/null || { tail -20 "$run/mm/logs/console.log" >&2; die "Mattermost exited while starting (log: $run/mm/logs)"; }
  sleep 0.5
done
die "Mattermost did not answer ping in 120 s (log: $run/mm/logs)"
