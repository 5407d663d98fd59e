// Nodes of one server: the bench server listed 5 times (node-1..node-5) sharing the probe user and
// channel, every probe on at a short interval, the bridge process run for BENCH_NODES_MINUTES
// (default 10). Prints runs and failures per probe with the reasons: the goal is 0 false failures.
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {probeRegistry} from '../../server-bridge/dist/probes/registry.js';
import {bridgeVars, fmt, heading, instanceEnv, sleep} from './lib.mjs';

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
  writeFileSync(file, JSON.stringify({probes: Object.fromEntries(PROBES.map((p) => [p, {enabled: true, interval: INTERVAL}])), targets: Array.from({length: NODES}, (_, i) => ({name: `node-${i + 1}`}))}));
  let out = '';
  const child = spawn(process.execPath, [bridgeMain, 'run'], {env: {PATH: process.env.PATH, ...bridgeVars(mm, {HEALTHCHECK_LOG_LEVEL: 'debug', HEALTHCHECK_CONFIG_FILE: file})}, stdio: ['ignore', 'pipe', 'pipe']});
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
  const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const runs = lines.filter((l) => typeof l.probe === 'string' && (l.msg === 'probe ok' || l.msg === 'probe failed'));
  let failures = 0;
  for (const probe of PROBES) {
    const mine = runs.filter((r) => r.probe === probe);
    const failed = mine.filter((r) => !r.ok);
    failures += failed.length;
    const notConfigured = lines.filter((l) => l.probe === probe && l.msg === 'probe not configured').length;
    console.log(`  ${probe.padEnd(16)} ${String(mine.length).padStart(5)} runs  ${String(failed.length).padStart(3)} failed${notConfigured ? `  (${notConfigured} not configured: neither)` : ''}`);
    const reasons = new Map();
    for (const f of failed) reasons.set(`${f.error}`, (reasons.get(`${f.error}`) ?? 0) + 1);
    for (const [reason, n] of reasons) console.log(`      ${n} x ${reason.slice(0, 200)}`);
  }
  console.log(`  all probes       ${String(runs.length).padStart(5)} runs  ${String(failures).padStart(3)} failed  (${fmt(runs.length ? ((runs.length - failures) / runs.length) * 100 : NaN, 2)} % ok; goal: 0 failed)`);
}
