#!/usr/bin/env bash
# make prove: starts its own Mattermost (instance "prove", ports 18465 and 55833), runs the fault
# rounds of prove.mjs against it and the bridge process, prints the table, and stops the server.
# Settings: PROVE_PLAN, PROVE_INTERVAL, PROVE_RETRY, PROVE_SEED (see prove.mjs); PROVE_MM_PORT, PROVE_PG_PORT.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export MM_INSTANCE=${PROVE_INSTANCE:-prove} MM_PORT=${PROVE_MM_PORT:-18465} PG_PORT=${PROVE_PG_PORT:-55833}
[ -f "$root/server-bridge/dist/main.js" ] || { echo "[prove] build the bridge first (make build)" >&2; exit 1; }
trap 'bash "$root/tests/mattermost/down.sh"' EXIT
bash "$root/tests/mattermost/up.sh"
node "$here/prove.mjs"
