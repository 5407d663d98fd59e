import {loadConfig, type ReadFile} from './load';
import type {ProbeDefaults} from './schema';

const PROBES: ProbeDefaults[] = [
  {name: 'ping', defaultIntervalMs: 60_000, defaultTimeoutMs: 10_000},
  {name: 'server_status', defaultIntervalMs: 300_000, defaultTimeoutMs: 10_000},
  {name: 'login', defaultIntervalMs: 60_000, defaultTimeoutMs: 15_000},
];
const BASE = {
  HEALTHCHECK_MM_URL: 'http://127.0.0.1:8065',
  HEALTHCHECK_TEAMS: 'healthcheck, other',
  HEALTHCHECK_BOT_TOKEN: 'bottoken123456',
};
const noFiles: ReadFile = (file) => {
  throw Object.assign(new Error(`ENOENT ${file}`), {code: 'ENOENT'});
};
const files =
  (map: Record<string, string>): ReadFile =>
  (file) => {
    if (file in map) return map[file] as string;
    return noFiles(file);
  };

function ok(env: NodeJS.ProcessEnv, readFile: ReadFile = noFiles) {
  const result = loadConfig(env, readFile, PROBES);
  if (!result.ok) throw new Error(`unexpected problems: ${result.problems.join('; ')}`);
  return result;
}
function problems(env: NodeJS.ProcessEnv, readFile: ReadFile = noFiles): string[] {
  const result = loadConfig(env, readFile, PROBES);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('loadConfig from variables', () => {
  it('applies the defaults', () => {
    const {config} = ok(BASE);
    expect(config.listen).toEqual({host: '127.0.0.1', port: 8075});
    expect(config.heartbeatMs).toBe(300_000);
    expect(config.retentionMs).toBe(7 * 86_400_000);
    expect(config.reportMinIntervalMs).toBe(10_000);
    expect(config.retryIntervalMs).toBe(30_000);
    expect(config.logChannel).toBe('healthcheck-log');
    expect(config.teams).toEqual(['healthcheck', 'other']);
    expect(config.targets).toEqual([{name: '127.0.0.1', url: 'http://127.0.0.1:8065', team: 'healthcheck', botToken: 'bottoken123456'}]);
    expect(config.home.name).toBe('127.0.0.1');
    expect(config.probes).toEqual([
      {name: 'ping', enabled: true, intervalMs: 60_000, timeoutMs: 10_000},
      {name: 'server_status', enabled: true, intervalMs: 300_000, timeoutMs: 10_000},
      {name: 'login', enabled: true, intervalMs: 60_000, timeoutMs: 15_000},
    ]);
  });

  it('serves /metrics on the main address unless HEALTHCHECK_METRICS_LISTEN gives it one of its own', () => {
    expect(ok(BASE).config.metricsListen).toBeNull();
    const {config} = ok({...BASE, HEALTHCHECK_LISTEN: '10.0.0.5:8075', HEALTHCHECK_METRICS_LISTEN: '[::]:9075'});
    expect(config.listen).toEqual({host: '10.0.0.5', port: 8075});
    expect(config.metricsListen).toEqual({host: '::', port: 9075});
  });

  it('refuses a metrics address on the main port or without a port, with every other problem', () => {
    const same = problems({...BASE, HEALTHCHECK_METRICS_LISTEN: '0.0.0.0:8075', HEALTHCHECK_HEARTBEAT: 'soon'}).join('\n');
    expect(same).toContain('HEALTHCHECK_METRICS_LISTEN: port 8075 is the port of HEALTHCHECK_LISTEN');
    expect(same).toContain('HEALTHCHECK_HEARTBEAT: expected a duration');
    expect(problems({...BASE, HEALTHCHECK_METRICS_LISTEN: 'metrics'}).join('\n')).toContain('HEALTHCHECK_METRICS_LISTEN: expected HOST:PORT, got "metrics"');
  });

  it('reads durations, lists and per-probe settings', () => {
    const {config} = ok({
      ...BASE,
      HEALTHCHECK_LISTEN: '0.0.0.0:9000',
      HEALTHCHECK_HEARTBEAT: '2m',
      HEALTHCHECK_RETENTION: '36h',
      HEALTHCHECK_INTERVAL: '30s',
      HEALTHCHECK_TIMEOUT: '5s',
      HEALTHCHECK_LOGIN_INTERVAL: '90s',
      HEALTHCHECK_LOGIN_TIMEOUT: '750ms',
      HEALTHCHECK_PROBES: 'ping,login',
      HEALTHCHECK_TARGET_NAME: 'main',
      HEALTHCHECK_SEARCH_USERS_MIN: '3',
    });
    expect(config.listen).toEqual({host: '0.0.0.0', port: 9000});
    expect(config.heartbeatMs).toBe(120_000);
    expect(config.retentionMs).toBe(36 * 3_600_000);
    expect(config.targets[0]).toMatchObject({name: 'main', searchUsersMin: 3});
    expect(config.probes).toEqual([
      {name: 'ping', enabled: true, intervalMs: 30_000, timeoutMs: 5_000},
      // server_status keeps its longer default interval: it writes to the database on every call.
      {name: 'server_status', enabled: false, intervalMs: 300_000, timeoutMs: 5_000},
      {name: 'login', enabled: true, intervalMs: 90_000, timeoutMs: 750},
    ]);
  });

  it('reads secrets from *_FILE variables, trimmed', () => {
    const {config} = ok(
      {HEALTHCHECK_MM_URL: BASE.HEALTHCHECK_MM_URL, HEALTHCHECK_TEAMS: 'healthcheck', HEALTHCHECK_BOT_TOKEN_FILE: '/s/bot', HEALTHCHECK_PROBE_PASSWORD_FILE: '/s/pw'},
      files({'/s/bot': 'fromfile1234\n', '/s/pw': 'secret-pw\n'}),
    );
    expect(config.targets[0]).toMatchObject({botToken: 'fromfile1234', probePassword: 'secret-pw'});
  });

  it('lists every problem at once, each with its variable', () => {
    const list = problems({
      HEALTHCHECK_MM_URL: 'ftp://nope',
      HEALTHCHECK_LISTEN: 'localhost',
      HEALTHCHECK_HEARTBEAT: '5 minutes',
      HEALTHCHECK_JITTER: '2',
      HEALTHCHECK_LOG_LEVEL: 'loud',
      HEALTHCHECK_PROBES: 'ping,pong',
      HEALTHCHECK_SEARCH_USERS_MIN: 'many',
      HEALTHCHECK_PROBE_PASSWORD: 'x',
      HEALTHCHECK_PROBE_PASSWORD_FILE: '/s/pw',
      HEALTHCHECK_ADMIN_TOKEN_FILE: '/missing',
    });
    const text = list.join('\n');
    expect(text).toContain('HEALTHCHECK_MM_URL: expected an http:// or https:// URL');
    expect(text).toContain('HEALTHCHECK_LISTEN: expected HOST:PORT, got "localhost"');
    expect(text).toContain('HEALTHCHECK_HEARTBEAT: expected a duration');
    expect(text).toContain('HEALTHCHECK_JITTER: expected a fraction');
    expect(text).toMatch(/HEALTHCHECK_LOG_LEVEL: .*"fatal"/);
    expect(text).toContain('HEALTHCHECK_PROBES: unknown probe; known probes: ping, server_status, login');
    expect(text).toContain('HEALTHCHECK_SEARCH_USERS_MIN: expected a whole number');
    expect(text).toContain('HEALTHCHECK_PROBE_PASSWORD, HEALTHCHECK_PROBE_PASSWORD_FILE: set only one of them');
    expect(text).toContain('HEALTHCHECK_ADMIN_TOKEN_FILE: cannot read /missing (ENOENT)');
    expect(text).toContain('HEALTHCHECK_TEAMS: ');
    // The cross-field check of the target is not held back by the problems above.
    expect(text).toContain('HEALTHCHECK_BOT_TOKEN (or HEALTHCHECK_BOT_TOKEN_FILE): the bot token of target "nope" is required');
    expect(list.length).toBeGreaterThanOrEqual(11);
  });

  it('refuses durations a timer cannot hold (over 24 days), listing every one', () => {
    // setTimeout fires at once beyond 2^31−1 ms: a 25-day interval would run the probe in a tight loop.
    const list = problems({...BASE, HEALTHCHECK_PING_INTERVAL: '25d', HEALTHCHECK_HEARTBEAT: '30d', HEALTHCHECK_RETENTION_SWEEP: '2147483648ms', HEALTHCHECK_REMINDER_INTERVAL: '600h'});
    expect(list).toEqual(
      expect.arrayContaining([
        'HEALTHCHECK_PING_INTERVAL: expected at most 24d, got "25d"',
        'HEALTHCHECK_HEARTBEAT: expected at most 24d, got "30d"',
        'HEALTHCHECK_RETENTION_SWEEP: expected at most 24d, got "2147483648ms"',
        'HEALTHCHECK_REMINDER_INTERVAL: expected at most 24d, got "600h"',
      ]),
    );
    expect(list).toHaveLength(4);
    expect(ok({...BASE, HEALTHCHECK_PING_INTERVAL: '24d', HEALTHCHECK_RETENTION: '90d'}).config.retentionMs).toBe(90 * 86_400_000);
  });

  it('requires a target and the bot token that posts the reports', () => {
    expect(problems({HEALTHCHECK_TEAMS: 'healthcheck'}).join('\n')).toContain('HEALTHCHECK_MM_URL: at least one target is required');
    expect(problems({HEALTHCHECK_MM_URL: BASE.HEALTHCHECK_MM_URL, HEALTHCHECK_TEAMS: 'healthcheck'}).join('\n')).toContain(
      'HEALTHCHECK_BOT_TOKEN (or HEALTHCHECK_BOT_TOKEN_FILE): the bot token of target "127.0.0.1" is required',
    );
  });

  it('refuses a timeout longer than the interval, naming the probe', () => {
    expect(problems({...BASE, HEALTHCHECK_PING_INTERVAL: '5s', HEALTHCHECK_PING_TIMEOUT: '10s'})).toEqual([
      'HEALTHCHECK_PING_TIMEOUT: timeout of ping (10000 ms) is longer than its interval (5000 ms)',
    ]);
  });

  it('names the per-probe variable when a default timeout outgrows a shorter interval', () => {
    expect(problems({...BASE, HEALTHCHECK_SERVER_STATUS_INTERVAL: '5s'})).toEqual(['HEALTHCHECK_SERVER_STATUS_TIMEOUT: timeout of server_status (10000 ms) is longer than its interval (5000 ms)']);
  });

  it('warns about unknown HEALTHCHECK_ variables without failing', () => {
    const result = ok({...BASE, HEALTHCHECK_HEARTBAET: '1m'});
    expect(result.warnings).toEqual(['HEALTHCHECK_HEARTBAET is not a setting of the bridge; it is ignored']);
  });

  it('never puts a secret value in a problem', () => {
    const text = problems({...BASE, HEALTHCHECK_BOT_TOKEN: 'sekret-token-value', HEALTHCHECK_LISTEN: 'bad'}).join('\n');
    expect(text).not.toContain('sekret-token-value');
  });
});

describe('loadConfig with a JSON file', () => {
  const file = (json: unknown) => files({'/etc/hc.json': JSON.stringify(json), '/s/a': 'tokenA-123456\n'});

  it('takes several targets that inherit unset settings from the variables', () => {
    const {config} = ok(
      {...BASE, HEALTHCHECK_CONFIG_FILE: '/etc/hc.json', HEALTHCHECK_HEARTBEAT: '1m'},
      file({
        heartbeat: '10m',
        probes: {ping: {interval: 15_000}},
        targets: [
          {name: 'a', botTokenFile: '/s/a'},
          {name: 'b', url: 'http://127.0.0.1:9065', team: 'other'},
        ],
      }),
    );
    expect(config.heartbeatMs).toBe(60_000); // a variable wins over the file
    expect(config.probes[0]).toMatchObject({name: 'ping', intervalMs: 15_000});
    expect(config.targets).toEqual([
      {name: 'a', url: 'http://127.0.0.1:8065', team: 'healthcheck', botToken: 'tokenA-123456'},
      {name: 'b', url: 'http://127.0.0.1:9065', team: 'other', botToken: 'bottoken123456'},
    ]);
    expect(config.home.name).toBe('a');
  });

  it('names file keys in its problems', () => {
    const list = problems(
      {HEALTHCHECK_TEAMS: 'healthcheck', HEALTHCHECK_CONFIG_FILE: '/etc/hc.json'},
      file({
        heartbaet: '1m',
        homeTarget: 'zzz',
        probes: {pong: {}, ping: {every: 1}},
        targets: [
          {name: 'a', url: 'http://x', botToken: 't0123456'},
          {name: 'a', url: 'nope'},
        ],
      }),
    );
    const text = list.join('\n');
    expect(text).toContain('/etc/hc.json: heartbaet: not a setting of the bridge');
    expect(text).toContain('/etc/hc.json: probes.ping.every: not a setting of the bridge');
    expect(text).toContain('/etc/hc.json: targets[1].url: expected an http:// or https:// URL');
  });

  it('reports cross-field problems of the file', () => {
    const text = problems(
      {HEALTHCHECK_TEAMS: 'healthcheck', HEALTHCHECK_CONFIG_FILE: '/etc/hc.json'},
      file({
        homeTarget: 'zzz',
        probes: {pong: {}},
        targets: [
          {name: 'a', url: 'http://x', botToken: 't0123456'},
          {name: 'a', url: 'http://y'},
        ],
      }),
    ).join('\n');
    expect(text).toContain('/etc/hc.json: homeTarget: no target is named "zzz"');
    expect(text).toContain('/etc/hc.json: probes.pong: unknown probe');
    expect(text).toContain('/etc/hc.json: targets[1].name: target name "a" is used twice');
  });

  it('names the file key of a per-probe setting it holds', () => {
    expect(problems({...BASE, HEALTHCHECK_CONFIG_FILE: '/etc/hc.json'}, file({probes: {ping: {interval: '5s', timeout: '8s'}}}))).toEqual([
      '/etc/hc.json: probes.ping.timeout: timeout of ping (8000 ms) is longer than its interval (5000 ms)',
    ]);
  });

  it('says when the file is missing or not JSON', () => {
    expect(problems({...BASE, HEALTHCHECK_CONFIG_FILE: '/nope.json'})).toEqual(['HEALTHCHECK_CONFIG_FILE: cannot read /nope.json: ENOENT']);
    expect(problems({...BASE, HEALTHCHECK_CONFIG_FILE: '/etc/hc.json'}, files({'/etc/hc.json': '{"a":'}))[0]).toMatch(/^HEALTHCHECK_CONFIG_FILE: cannot read \/etc\/hc.json: /);
  });
});

describe('loadConfig with the probe registry', () => {
  it('takes the probe names and defaults from the registry by default', () => {
    const result = loadConfig({...BASE, HEALTHCHECK_PROBES: 'ping'}, noFiles);
    expect(result.ok && result.config.probes.find((p) => p.name === 'ping')).toMatchObject({enabled: true});
    const bad = loadConfig({...BASE, HEALTHCHECK_PROBES: 'nosuchprobe'}, noFiles);
    expect(bad.ok ? [] : bad.problems).toEqual([expect.stringMatching(/^HEALTHCHECK_PROBES: unknown probe; known probes: ping/)]);
  });
});

describe('loadConfig: incident and slash settings', () => {
  it('has defaults and takes thresholds, budgets and reminders, per probe over the defaults', () => {
    expect(ok(BASE).config.incidents).toEqual({
      defaults: {failureThreshold: 2, successThreshold: 2, latencyBudgetMs: null},
      perProbe: {},
      reminderIntervalMs: 1_800_000,
      maxReminders: 6,
      ackReminderIntervalMs: 0,
    });
    const {config} = ok({
      ...BASE,
      HEALTHCHECK_FAILURE_THRESHOLD: '3',
      HEALTHCHECK_LATENCY_BUDGET: '2s',
      HEALTHCHECK_REMINDER_INTERVAL: '10m',
      HEALTHCHECK_MAX_REMINDERS: '0',
      HEALTHCHECK_LOGIN_LATENCY_BUDGET: '5s',
      HEALTHCHECK_PING_SUCCESS_THRESHOLD: '4',
      HEALTHCHECK_SLASH_TOKENS: 'healthcheck:tok-a123456, other:tok-b123456',
    });
    expect(config.incidents.defaults).toEqual({failureThreshold: 3, successThreshold: 2, latencyBudgetMs: 2000});
    expect(config.incidents.perProbe.login).toMatchObject({latencyBudgetMs: 5000});
    expect(config.incidents.perProbe.ping).toMatchObject({successThreshold: 4});
    expect(config.incidents).toMatchObject({reminderIntervalMs: 600_000, maxReminders: 0});
    expect(config.slash).toEqual({
      trigger: 'healthcheck',
      tokens: [
        {team: 'healthcheck', token: 'tok-a123456'},
        {team: 'other', token: 'tok-b123456'},
      ],
    });
  });

  it("has the incident buttons' defaults and takes their settings, naming every bad one", () => {
    expect(ok(BASE).config.actions).toEqual({secret: undefined, ackRole: 'ops_channel', muteRole: 'system_admin'});
    const {config} = ok({...BASE, HEALTHCHECK_ACK_ROLE: 'system_admin', HEALTHCHECK_MUTE_ROLE: 'ops_channel', HEALTHCHECK_ACK_REMINDER_INTERVAL: '2h', HEALTHCHECK_ACTION_SECRET: 's'.repeat(40)});
    expect(config.actions).toEqual({secret: 's'.repeat(40), ackRole: 'system_admin', muteRole: 'ops_channel'});
    expect(config.incidents.ackReminderIntervalMs).toBe(7_200_000);
    const text = problems({...BASE, HEALTHCHECK_ACK_ROLE: 'everyone', HEALTHCHECK_MUTE_ROLE: 'x', HEALTHCHECK_ACK_REMINDER_INTERVAL: 'often', HEALTHCHECK_ACTION_SECRET: 'short'}).join('\n');
    for (const v of ['HEALTHCHECK_ACK_ROLE', 'HEALTHCHECK_MUTE_ROLE', 'HEALTHCHECK_ACK_REMINDER_INTERVAL', 'HEALTHCHECK_ACTION_SECRET: expected at least 32 characters']) expect(text).toContain(v);
    expect(text).not.toContain('short');
  });

  it("has the notice on by default, takes it off and the admins' words, naming every bad value", () => {
    expect(ok(BASE).config.notice).toEqual({enabled: true, text: undefined});
    expect(ok({...BASE, HEALTHCHECK_NOTICE: 'off', HEALTHCHECK_NOTICE_TEXT: ' {services}: we are on it (since {since}) '}).config.notice).toEqual({
      enabled: false,
      text: '{services}: we are on it (since {since})',
    });
    const text = problems({...BASE, HEALTHCHECK_NOTICE: 'maybe', HEALTHCHECK_NOTICE_TEXT: 'x'.repeat(201)}).join('\n');
    expect(text).toContain('HEALTHCHECK_NOTICE: ');
    expect(text).toContain('HEALTHCHECK_NOTICE_TEXT: expected at most 200 characters');
    expect(problems({...BASE, HEALTHCHECK_NOTICE_TEXT: 'two\nlines'}).join('\n')).toContain('HEALTHCHECK_NOTICE_TEXT: expected one line');
  });

  it('names a bad threshold or trigger by its variable', () => {
    const text = problems({...BASE, HEALTHCHECK_FAILURE_THRESHOLD: '0', HEALTHCHECK_PING_SUCCESS_THRESHOLD: 'two', HEALTHCHECK_SLASH_TRIGGER: '/Health check'}).join('\n');
    expect(text).toContain('HEALTHCHECK_FAILURE_THRESHOLD: expected a whole number ≥ 1');
    expect(text).toContain('HEALTHCHECK_PING_SUCCESS_THRESHOLD: expected a whole number');
    expect(text).toContain('HEALTHCHECK_SLASH_TRIGGER: expected a lowercase trigger');
  });

  it('wants every slash token to name a served team, and never repeats a token in the problem', () => {
    const text = problems({...BASE, HEALTHCHECK_SLASH_TOKENS: 'secrettokenwithoutteam1,nosuch:secrettoken2'}).join('\n');
    expect(text).toContain('HEALTHCHECK_SLASH_TOKENS: entry 1: expected TEAM:TOKEN');
    expect(text).toContain('HEALTHCHECK_SLASH_TOKENS: entry 2 names a team that is not in HEALTHCHECK_TEAMS (healthcheck, other); entries are TEAM:TOKEN');
    expect(text).not.toMatch(/secrettoken/);
  });

  it('does not echo a reversed TOKEN:TEAM entry (its first half is the token)', () => {
    const text = problems({...BASE, HEALTHCHECK_SLASH_TOKENS: 'secrettoken3secrettoken3ab:healthcheck'}).join('\n');
    expect(text).toContain('entry 1 names a team that is not in HEALTHCHECK_TEAMS');
    expect(text).not.toMatch(/secrettoken/);
  });
});

describe('loadConfig: what leaves the bridge', () => {
  it('refuses a target URL with a user name or password, from a variable or the file, without repeating it', () => {
    const text = problems({...BASE, HEALTHCHECK_MM_URL: 'https://admin:s3cretpass@chat.example.org'}).join('\n');
    expect(text).toContain('HEALTHCHECK_MM_URL: must not contain a user name or password (user:pass@)');
    expect(text).not.toContain('s3cretpass');
    const file = JSON.stringify({targets: [{name: 'a', url: 'http://probe@10.0.0.1:8065', botToken: 'x'.repeat(26)}]});
    const fromFile = loadConfig({HEALTHCHECK_TEAMS: 'alpha', HEALTHCHECK_CONFIG_FILE: '/etc/hc.json'}, () => file);
    expect(fromFile.ok ? [] : fromFile.problems).toEqual([expect.stringContaining('/etc/hc.json: targets[0].url: must not contain a user name or password')]);
  });

  it('publishes target URLs in reports only when asked to', () => {
    expect(ok(BASE).config.reportTargetUrls).toBe(false);
    expect(ok({...BASE, HEALTHCHECK_REPORT_TARGET_URLS: 'true'}).config.reportTargetUrls).toBe(true);
  });
});
