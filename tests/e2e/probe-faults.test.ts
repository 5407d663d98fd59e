// Probes against the real server when it really goes away: the Mattermost process stopped
// (connection refused), and its PostgreSQL stopped (server_status names the database).
import {postgres, probeTarget, startMattermost, stopMattermost, testServer} from '../lib/mattermost';
import {startPushProxy, type PushProxy} from '../lib/push-proxy';
import {probeContext} from '../../server-bridge/src/probes/testing/context';
import {PROBE_NAMES, probeRegistry, type ProbeName} from '../../server-bridge/src/probes/registry';
import type {ProbeResult} from '../../server-bridge/src/probes/types';

const mm = testServer();
// Every probe configured: push with a device whose test pushes go to a push proxy on loopback, cluster with the admin token.
const target = probeTarget(mm, {adminToken: mm.env.MM_ADMIN_TOKEN});
let pushProxy: PushProxy | undefined;

beforeAll(async () => {
  pushProxy = await startPushProxy(mm);
  target.pushDeviceId = pushProxy.deviceId;
});
afterAll(() => pushProxy?.stop());

const run = (name: ProbeName, cache = new Map<string, unknown>(), timeoutMs = 10_000): Promise<ProbeResult> => probeRegistry[name].run(probeContext(target, {timeoutMs, cache}));
const observedFailures = (r: ProbeResult) => r.checks.filter((c) => !c.ok).map((c) => c.observed);

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('the Mattermost process stopped', () => {
  it('every probe fails with "connection refused", and passes again once it is back', async () => {
    const cache = new Map<string, unknown>();
    expect((await run('post_roundtrip', cache)).ok).toBe(true);
    stopMattermost();
    try {
      const seen: string[] = [];
      for (const name of PROBE_NAMES) {
        const result = await run(name, cache);
        expect({name, ok: result.ok}).toEqual({name, ok: false});
        seen.push(...observedFailures(result));
      }
      // A kept-alive connection the server closed as it stopped shows as reset (Node's "socket hang up"); new ones are refused.
      for (const observed of seen) expect(observed).toMatch(/^connection (refused \(ECONNREFUSED\)|reset \(ECONNRESET\))$/);
      expect(seen.filter((o) => o === 'connection refused (ECONNREFUSED)').length).toBeGreaterThanOrEqual(PROBE_NAMES.length - 1);
    } finally {
      startMattermost();
    }
    for (const name of PROBE_NAMES) expect({name, failures: observedFailures(await run(name, cache))}).toEqual({name, failures: []});
  });
});

describe('PostgreSQL stopped', () => {
  it('server_status names the database; it passes again once PostgreSQL is back', async () => {
    expect((await run('server_status')).ok).toBe(true);
    postgres('stop');
    let result: ProbeResult;
    try {
      result = await run('server_status');
    } finally {
      postgres('start');
    }
    expect(result.ok).toBe(false);
    expect(result.checks).toEqual([
      {label: 'database_status', ok: false, observed: 'UNHEALTHY', expected: 'OK'},
      {label: 'filestore_status', ok: true, observed: 'OK', expected: 'OK'},
    ]);
    await until(async () => (await run('server_status')).ok, 'server_status to pass again');
  });
});
