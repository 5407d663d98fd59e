#!/usr/bin/env bash
# The preview host page for make demo: the plugin's panel and cards on a labelled host page that
# proxies to the demo's Mattermost server. `start` prints its URL; `stop` ends it (by its pid).
#   MM_INSTANCE (demo)  PREVIEW_PORT (8076)  MM_URL (else from the instance's env file)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
instance=${MM_INSTANCE:-demo}
cache=${HEALTHCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mattermost-healthcheck}
run="$cache/run/$instance"
port=${PREVIEW_PORT:-8076}
pid_file="$run/preview.pid"
die() { echo "[preview] error: $*" >&2; exit 1; }
alive() { [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

case "${1:-}" in
  start)
    if alive; then echo "http://127.0.0.1:$port/"; exit 0; fi
    mm_url=${MM_URL:-$(grep -m1 '^MM_URL=' "$run/env" 2>/dev/null | cut -d= -f2- || true)}
    [ -n "$mm_url" ] || die "no MM_URL and no $run/env: start the server first (make demo)"
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && die "port $port is already in use; choose another with PREVIEW_PORT=..."
    node "$root/tests/browser/build.js" 2>"$run/preview-build.log" || { cat "$run/preview-build.log" >&2; die "the host page did not build"; }
    (MM_URL=$mm_url PREVIEW_PORT=$port exec node "$root/tests/browser/dist/preview-server.js" >>"$run/preview.log" 2>&1) &
    echo $! > "$pid_file"
    for _ in $(seq 1 40); do
      curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && { echo "http://127.0.0.1:$port/"; exit 0; }
      kill -0 "$(cat "$pid_file")" 2>/dev/null || { cat "$run/preview.log" >&2; rm -f "$pid_file"; die "the preview server exited while starting"; }
      sleep 0.25
    done
    die "the preview server did not answer on port $port (log: $run/preview.log)"
    ;;
  stop)
    if alive; then
      pid=$(cat "$pid_file")
      kill -TERM "$pid"
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      echo "[preview] stopped (pid $pid)" >&2
    fi
    rm -f "$pid_file"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
