import * as z from 'zod';
import {isProbeName, PROBE_NAMES, probeRegistry} from './registry';

describe('probe registry', () => {
  it('names every probe by its own name', () => {
    for (const [name, probe] of Object.entries(probeRegistry)) expect(probe.name).toBe(name);
  });

  it('lists the names once, usable in a zod enum', () => {
    expect(PROBE_NAMES).toEqual(['ping', 'server_status', 'login_page', 'login', 'websocket', 'post_roundtrip', 'channel_join', 'search_users', 'search_channels', 'push', 'cluster']);
    const schema = z.enum(PROBE_NAMES);
    expect(schema.parse('post_roundtrip')).toBe('post_roundtrip');
    expect(schema.safeParse('pong').success).toBe(false);
  });

  it('tells probe names from other strings', () => {
    expect(isProbeName('ping')).toBe(true);
    expect(isProbeName('toString')).toBe(false);
  });

  it('gives every probe a positive interval and a timeout shorter than it', () => {
    for (const probe of Object.values(probeRegistry)) {
      expect(probe.defaultTimeoutMs).toBeGreaterThan(0);
      expect(probe.defaultTimeoutMs).toBeLessThan(probe.defaultIntervalMs);
    }
  });

  it("spreads at start every probe that logs in, opens a websocket or works the server's database; the others start at once", () => {
    const heavy = Object.values(probeRegistry)
      .filter((p) => p.heavy)
      .map((p) => p.name);
    // 50 targets of one server starting their searches and status writes at once failed 3 of 500 runs (make bench).
    expect(heavy).toEqual(['server_status', 'login', 'websocket', 'post_roundtrip', 'channel_join', 'search_users', 'search_channels']);
  });

  it('reports missing settings as not configured, not as a failure', async () => {
    for (const probe of Object.values(probeRegistry)) {
      if (probe.needs.length === 0) continue;
      const result = await probe.run({target: {name: 't', url: 'http://127.0.0.1:1'}, signal: AbortSignal.timeout(1000), timeoutMs: 1000, client: null as never, cache: new Map()});
      expect(result.notConfigured?.length).toBeGreaterThan(0);
      expect(result.checks).toEqual([]);
    }
  });
});
