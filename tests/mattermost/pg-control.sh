#!/usr/bin/env bash
# Stops or starts an instance's own PostgreSQL cluster (fault tests): pg-control.sh stop|start
#   PG_CLUSTER (pg): the cluster's folder in the instance's run folder; another name is a cluster of
#   its own on PG_PORT (the several-bridges store), made on its first start
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
instance=${MM_INSTANCE:-demo}
pg_port=${PG_PORT:-55432}
cache=${HEALTHCHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mattermost-healthcheck}
run="$cache/run/$instance"
log() { echo "[pg-control:$instance] $*" >&2; }
die() { echo "[pg-control:$instance] error: $*" >&2; exit 1; }
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# shellcheck source=tests/mattermost/postgres.sh
source "$here/postgres.sh"
cluster="$run/${PG_CLUSTER:-pg}"
case "${1:-}" in
  stop) pg_stop "$cluster" ;;
  start) pg_start "$cluster" "$pg_port" ;;
  *) die "usage: pg-control.sh stop|start" ;;
esac
