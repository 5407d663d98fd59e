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
#   BENCH_NODE24 (1): footprint and latency again on Node 24 (tests/node/install.sh 24), then issue 25's
#   figures against their goals on both (goals.mjs); 0 skips the second Node
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
results=$(mktemp -d)
cleanup() {
  rm -rf "$results"
  if [ "$only" != "slo-history" ]; then bash "$root/tests/mattermost/down.sh"; fi
}
trap cleanup EXIT
# Runs the parts named in $2 on the node $1; their results (what each main() returns) go to $3.
run_parts() {
  BENCH_ONLY_LIST="$2" BENCH_RESULTS="$3" "$1" --input-type=module -e '
const results = {};
for (const name of process.env.BENCH_ONLY_LIST.split(",").filter(Boolean)) {
  const m = await import(`./${name}.mjs`);
  results[name] = (await m.main()) ?? null;
}
(await import("node:fs")).writeFileSync(process.env.BENCH_RESULTS, JSON.stringify([`Node ${process.version}`, results]));'
}
run_parts node "$only" "$results/main.json"
files=("$results/main.json")
again=$(tr ',' '\n' <<<"$only" | grep -xE 'footprint|latency' | paste -sd, || true)
if [ "${BENCH_NODE24:-1}" = 1 ] && [ -n "$again" ] && [ "$(node -p 'process.versions.node.split(".")[0]')" != 24 ]; then
  node24=$(bash "$root/tests/node/install.sh" 24)
  echo; echo "== the same on $("$node24/node" --version): $again"
  run_parts "$node24/node" "$again" "$results/node24.json"
  files+=("$results/node24.json")
fi
node goals.mjs "${files[@]}"
