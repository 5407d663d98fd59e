// Nodes of one server: the bench server listed 5 times (node-1..node-5) sharing the probe user and
// channel, every probe on at a short interval, the bridge process run for BENCH_NODES_MINUTES
// (default 10). Prints runs and failures per probe with the reasons: the goal is 0 false failures.
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {probeRegistry} from '../../server-bridge/dist/probes/registry.js';
import {bridgeVars, heading, instanceEnv, printRunsByProbe, sleep} from './lib.mjs';

const MINUTES = Number(process.env.BENCH_NODES_MINUTES || 10);
const INTERVAL = process.env.BENCH_NODES_INTERVAL || '15s';
const NODES = 5;
const bridgeMain = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server-bridge/dist/main.js');
const mm = instanceEnv();
const PROBES = Object.keys(probeRegistry);

export async function main() {
  heading(`nodes of one server: ${NODES} targets sharing the probe user and channel, every probe every ${INTERVAL}, ${MINUTES} min (BENCH_NODES_MINUTES)`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-bench-nodes-'));
  const file = path.join(dir, 'nodes.json');
  // Every node inherits the URL, bot token, probe user and channel from the variables.
  writeFileSync(
    file,
    JSON.stringify({probes: Object.fromEntries(PROBES.map((p) => [p, {enabled: true, interval: INTERVAL}])), targets: Array.from({length: NODES}, (_, i) => ({name: `node-${i + 1}`}))}),
  );
  let out = '';
  const child = spawn(process.execPath, [bridgeMain, 'run'], {
    env: {PATH: process.env.PATH, ...bridgeVars(mm, {HEALTHCHECK_LOG_LEVEL: 'debug', HEALTHCHECK_CONFIG_FILE: file})},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    const end = performance.now() + MINUTES * 60_000;
    while (performance.now() < end) {
      if (child.exitCode !== null) throw new Error(`the bridge exited: ${out.slice(-2000)}`);
      await sleep(1000);
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, {recursive: true, force: true});
  }
  const lines = out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  printRunsByProbe(lines, PROBES);
}
