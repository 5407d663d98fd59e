// Engine throughput: the ping probe through the scheduler (run-now cycles over many jobs, with
// the bridge's own per-run work: history, states, metrics, log call) against a bare fetch loop,
// on the same minimal 127.0.0.1 server, in the same run: runs per CPU-second of this process.
import {spawn} from 'node:child_process';
import {Writable} from 'node:stream';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Registry} from 'prom-client';
import {createLogger, logRun} from '../../server-bridge/dist/logger.js';
import {createMetrics} from '../../server-bridge/dist/metrics.js';
import {probeRegistry} from '../../server-bridge/dist/probes/registry.js';
import {LatestStates} from '../../server-bridge/dist/report/states.js';
import {ResultHistory} from '../../server-bridge/dist/results/history.js';
import {Scheduler} from '../../server-bridge/dist/scheduler.js';
import {fmt, heading} from './lib.mjs';

const SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS || 10);
const CONCURRENCY = Number(process.env.BENCH_THROUGHPUT_CONCURRENCY || 32);
const here = path.dirname(fileURLToPath(import.meta.url));

async function startServer() {
  const child = spawn(process.execPath, [path.join(here, 'ping-server.mjs')], {stdio: ['ignore', 'pipe', 'inherit']});
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  return {url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM')};
}

/** Runs `work` for the duration; returns runs, wall seconds and CPU seconds of this process. */
async function measure(seconds, work) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const runs = await work(t0 + seconds * 1000);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {runs, wall, cpu: (cpu.user + cpu.system) / 1e6};
}

function bareLoop(url) {
  return async (end) => {
    let runs = 0;
    await Promise.all(
      Array.from({length: CONCURRENCY}, async () => {
        while (performance.now() < end) {
          const res = await fetch(`${url}/api/v4/system/ping`);
          const data = await res.json();
          if (data.status === 'OK') runs++;
        }
      }),
    );
    return runs;
  };
}

function engine(url) {
  const targets = Array.from({length: CONCURRENCY}, (_, i) => ({name: `t${i}`, url}));
  const jobs = targets.map((target) => ({probe: probeRegistry.ping, target, intervalMs: 3_600_000, timeoutMs: 10_000}));
  const scheduler = new Scheduler({jobs, jitter: 0.1});
  const history = new ResultHistory();
  const states = new LatestStates();
  const metrics = createMetrics(new Registry(), {version: 'bench', jobs: jobs.map((j) => ({probe: 'ping', target: j.target.name}))});
  const logger = createLogger({level: 'info', secrets: [], destination: new Writable({write: (_c, _e, done) => done()})});
  let ok = 0;
  scheduler.onRun((e) => {
    history.record(e.result);
    states.observe(e.result);
    metrics.observe(e.result);
    logRun(logger, e);
    if (e.result.ok) ok++;
  });
  return async (end) => {
    ok = 0;
    while (performance.now() < end) await scheduler.runNow();
    return ok;
  };
}

export async function main() {
  heading(`engine throughput: ping probe via the scheduler vs a bare fetch loop (${CONCURRENCY} concurrent, ${SECONDS} s each)`);
  const server = await startServer();
  try {
    const bare = bareLoop(server.url);
    const eng = engine(server.url);
    await measure(2, bare);
    await measure(2, eng);
    const results = {bare: [], engine: []};
    for (let round = 0; round < 2; round++) {
      results.bare.push(await measure(SECONDS / 2, bare));
      results.engine.push(await measure(SECONDS / 2, eng));
    }
    const sum = (list) => list.reduce((a, m) => ({runs: a.runs + m.runs, wall: a.wall + m.wall, cpu: a.cpu + m.cpu}), {runs: 0, wall: 0, cpu: 0});
    const b = sum(results.bare);
    const e = sum(results.engine);
    const perCpu = (m) => m.runs / m.cpu;
    console.log(`bare fetch loop   ${b.runs} runs  ${fmt(b.runs / b.wall, 0)}/s wall  ${fmt(perCpu(b), 0)} per CPU-second  (CPU ${fmt((b.cpu / b.wall) * 100, 0)} %)`);
    console.log(`engine (ping)     ${e.runs} runs  ${fmt(e.runs / e.wall, 0)}/s wall  ${fmt(perCpu(e), 0)} per CPU-second  (CPU ${fmt((e.cpu / e.wall) * 100, 0)} %)`);
    console.log(`ratio engine/bare per CPU-second: ${fmt(perCpu(e) / perCpu(b), 2)}x  (goals: >= 1000/s and >= 0.8x)`);
  } finally {
    server.stop();
  }
}
