#!/usr/bin/env bash
# Stops exactly what up.sh started for an instance, by the process ids it kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
instance=${MM_INSTANCE:-demo}
cache=${HEALTHCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mattermost-healthcheck}
run="$cache/run/$instance"
log() { echo "[mattermost-down:$instance] $*" >&2; }
die() { echo "[mattermost-down:$instance] error: $*" >&2; exit 1; }
# shellcheck source=tests/mattermost/postgres.sh
source "$here/postgres.sh"
stop_pid() {
  local file=$1 name=$2 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    log "stopped $name (pid $pid)"
  fi
  rm -f "$file"
}
stop_pid "$run/mattermost.pid" Mattermost
[ -d "$run/pg" ] && pg_stop "$run/pg" && log "stopped PostgreSQL"
rm -f "$run/env"
