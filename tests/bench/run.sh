#!/usr/bin/env bash
# make bench: starts its own Mattermost (instance "bench"), runs every benchmark, prints figures
# and ratios measured in the same run (no pass/fail on timings), and stops the server at the end.
#   BENCH_FOOTPRINT_SECONDS (120; the issue's figure is 600)  BENCH_THROUGHPUT_SECONDS (10)
#   BENCH_LATENCY_RUNS (40)  BENCH_SLASH_RUNS (1000)  BENCH_NODES_MINUTES (10)  BENCH_NODES_INTERVAL (15s)
#   BENCH_NOTICE_CLIENTS (1000)  BENCH_NOTICE_CHANGES (10)
#   BENCH_MM_INSTANCE (bench)  BENCH_MM_PORT (18565)  BENCH_PG_PORT (55933)
#   BENCH_SLO_TARGETS (50)  BENCH_SLO_DAYS (90): the long history (slo-history.mjs, no server needed)
#   BENCH_HA_KILLS (10)  BENCH_HA_TARGETS (50)  BENCH_HA_SECONDS (120)  BENCH_HA_SLASH_RUNS (300): several bridges (ha.mjs)
#   BENCH_ONLY: a comma-separated subset, e.g. BENCH_ONLY=slo-history (no server is started without a server bench)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export MM_INSTANCE=${BENCH_MM_INSTANCE:-bench} MM_PORT=${BENCH_MM_PORT:-18565} PG_PORT=${BENCH_PG_PORT:-55933}
[ -f "$root/server-bridge/dist/main.js" ] || { echo "[bench] build the bridge first (make build)" >&2; exit 1; }
all="slo-history,throughput,latency,slash,nodes,footprint,notice,startup-memory,ha"
only=${BENCH_ONLY:-$all}
if [ "$only" != "slo-history" ]; then
  trap 'bash "$root/tests/mattermost/down.sh"' EXIT
  bash "$root/tests/mattermost/up.sh"
fi
cd "$here"
BENCH_ONLY_LIST="$only" node --input-type=module -e '
for (const name of process.env.BENCH_ONLY_LIST.split(",").filter(Boolean)) {
  const m = await import(`./${name}.mjs`);
  await m.main();
}'
