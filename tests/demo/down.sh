#!/usr/bin/env bash
# make demo-down: stops what make demo started (bridge, preview, Mattermost, PostgreSQL), by pid.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export MM_INSTANCE=demo
cache=${HEALTHCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mattermost-healthcheck}
run="$cache/run/demo"
for name in bridge preview; do
  if [ -f "$run/$name.pid" ]; then
    pid=$(cat "$run/$name.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      echo "[demo-down] stopped $name (pid $pid)" >&2
    fi
    rm -f "$run/$name.pid"
  fi
done
bash "$root/tests/mattermost/down.sh"
rm -f "$root/.demo/env"
