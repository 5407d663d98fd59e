import {loadConfig, type ReadFile} from './load';
import type {ProbeDefaults} from './schema';

const PROBES: ProbeDefaults[] = ['ping', 'login', 'post_roundtrip', 'search_users', 'search_channels', 'websocket'].map((name) => ({name, defaultIntervalMs: 60_000, defaultTimeoutMs: 10_000}));
const BASE = {
  HEALTHCHECK_MM_URL: 'http://127.0.0.1:8065',
  HEALTHCHECK_TEAMS: 'healthcheck',
  HEALTHCHECK_BOT_TOKEN: 'bottoken123456',
  HEALTHCHECK_TARGET_NAME: 'local',
  HEALTHCHECK_CONFIG_FILE: '/etc/hc.json',
};
const withFile =
  (content: unknown): ReadFile =>
  (file) => {
    if (file === '/etc/hc.json') return JSON.stringify(content);
    throw Object.assign(new Error('ENOENT'), {code: 'ENOENT'});
  };

describe('slos setting', () => {
  it('gives the default objectives on the home target, and none when switched off', () => {
    const on = loadConfig({...BASE, HEALTHCHECK_CONFIG_FILE: undefined}, withFile({}), PROBES);
    if (!on.ok) throw new Error(on.problems.join('; '));
    expect(on.config.slos.map((s) => [s.name, s.kind, s.objective, s.target])).toEqual([
      ['log-in', 'availability', 0.995, 'local'],
      ['post-and-receive', 'availability', 0.995, 'local'],
      ['search', 'availability', 0.995, 'local'],
      ['real-time', 'availability', 0.995, 'local'],
      ['post-latency', 'latency', 0.99, 'local'],
    ]);
    const off = loadConfig({...BASE, HEALTHCHECK_CONFIG_FILE: undefined, HEALTHCHECK_SLOS: 'off'}, withFile({}), PROBES);
    expect(off.ok && off.config.slos).toEqual([]);
  });

  it('reads objectives from the config file', () => {
    const r = loadConfig(
      BASE,
      withFile({
        slos: [
          {name: 'chat', service: 'post', objective: '99.9%', window: '7d'},
          {name: 'fast-login', probes: ['login'], kind: 'latency', objective: 99, threshold: '800ms'},
        ],
      }),
      PROBES,
    );
    if (!r.ok) throw new Error(r.problems.join('; '));
    expect(r.config.slos).toEqual([
      {name: 'chat', service: 'post', probes: ['post_roundtrip'], target: 'local', kind: 'availability', objective: 0.999, windowMs: 7 * 86_400_000, thresholdMs: null},
      {name: 'fast-login', service: null, probes: ['login'], target: 'local', kind: 'latency', objective: 0.99, windowMs: 30 * 86_400_000, thresholdMs: 800},
    ]);
  });

  it('lists every problem of every objective at once', () => {
    const r = loadConfig(
      BASE,
      withFile({
        slos: [
          {name: 'a', objective: 100},
          {name: 'a', service: 'chat', objective: 99, window: '200d'},
          {name: 'b', probes: ['nope'], kind: 'latency', objective: 99},
          {name: 'c', service: 'login', objective: 99, threshold: '1s'},
          {name: 'd', probes: ['login'], kind: 'latency', objective: 99, threshold: '2s'},
          {name: 'e', probes: ['login'], kind: 'latency', objective: 99.5, threshold: '3s'},
        ],
      }),
      PROBES,
    );
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.problems.join('\n');
    expect(text).toMatch(/slos\.0\.objective.*above 50 and below 100/);
    expect(text).toMatch(/slos\.1\.service/);
    expect(text).toMatch(/slos\.1\.window.*90d/);
    expect(text).toMatch(/slos\.2\.probes\.0.*unknown probe/);
    expect(text).toMatch(/slos\.3\.threshold.*only for kind "latency"/);
    expect(text).toMatch(/slos\.5\.threshold.*one threshold a probe/);
    expect(text).toMatch(/slos\.1\.name.*used twice/);
  });

  it('names an unknown target', () => {
    const r = loadConfig(BASE, withFile({slos: [{name: 'c', service: 'login', objective: 99, target: 'elsewhere'}]}), PROBES);
    expect(r.ok ? [] : r.problems).toEqual(['/etc/hc.json: slos.0.target: no target is named "elsewhere"']);
  });
});
