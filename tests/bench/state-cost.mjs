// What the state file costs the bridge process: a full day of results seeded beside it (so the
// history file is as large as in steady state), bytes it writes to disk (/proc/<pid>/io
// write_bytes), and its event-loop delay (prom-client's monitorEventLoopDelay, read off /metrics).
import {createRequire} from 'node:module';
import {readFileSync, statSync, writeFileSync} from 'node:fs';

const require = createRequire(import.meta.url);
const {ResultHistory} = require('../../server-bridge/dist/results/history.js');
const {probeRegistry} = require('../../server-bridge/dist/probes/registry.js');

/** Writes <stateFile>.results holding 24 h of runs of every probe of every target; returns its size. */
export async function seedHistory(stateFile, targets, now = Date.now()) {
  const history = new ResultHistory();
  for (const target of targets) {
    for (const probe of Object.values(probeRegistry)) {
      const every = probe.defaultIntervalMs;
      for (let at = now - 86_400_000 + every; at < now; at += every) {
        history.record({
          probe: probe.name,
          target,
          ok: true,
          durationMs: 5 + Math.random() * 40,
          startedAt: at + Math.random() * 1000,
          checks: [{label: 'status', ok: true, observed: 'OK', expected: 'OK'}],
        });
      }
    }
  }
  const text = await history.encode(now);
  writeFileSync(`${stateFile}.results`, text);
  return Buffer.byteLength(text);
}

export function writeBytes(pid) {
  return Number(/write_bytes:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);
}

/** Event-loop delay p99 and max (seconds) since the previous read: prom-client resets its histogram on every scrape. */
export async function eventLoopDelay(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {p99: value('nodejs_eventloop_lag_p99_seconds'), max: value('nodejs_eventloop_lag_max_seconds'), p50: value('nodejs_eventloop_lag_p50_seconds')};
}

export const sizeOf = (file) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};
