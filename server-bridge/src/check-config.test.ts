import {checkConfig} from './check-config';

function run(env: NodeJS.ProcessEnv, files: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const read: string[] = [];
  const code = checkConfig(
    env,
    (file) => {
      read.push(file);
      if (file in files) return files[file] as string;
      throw Object.assign(new Error(`ENOENT: no such file, open '${file}'`), {code: 'ENOENT'});
    },
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return {code, out: out.join('\n'), err: err.join('\n'), read};
}

describe('checkConfig', () => {
  it('accepts valid settings, reads the secret files, and prints what run would use without the secrets', () => {
    const r = run(
      {HEALTHCHECK_MM_URL: 'http://127.0.0.1:8065', HEALTHCHECK_TEAMS: 'ops', HEALTHCHECK_BOT_TOKEN_FILE: '/s/bot', HEALTHCHECK_PROBES: 'ping,login_page'},
      {'/s/bot': 'secret-bot-token-1234\n'},
    );
    expect(r.code).toBe(0);
    expect(r.read).toEqual(['/s/bot']);
    expect(r.out).toContain('configuration OK');
    expect(r.out).toContain('target 127.0.0.1: http://127.0.0.1:8065 (team ops)');
    expect(r.out).toContain('probes: ping, login_page');
    expect(r.out).toContain('objectives: log-in 99.5 %, post-and-receive 99.5 %, search 99.5 %, real-time 99.5 %, post-latency 99 %');
    expect(`${r.out}${r.err}`).not.toContain('secret-bot-token');
  });

  it('lists every problem at once and returns 2', () => {
    const r = run({HEALTHCHECK_MM_URL: 'ftp://x', HEALTHCHECK_BOT_TOKEN_FILE: '/missing', HEALTHCHECK_JITTER: '3', HEALTHCHECK_NOPE: '1'});
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain('invalid configuration:');
    for (const variable of ['HEALTHCHECK_MM_URL', 'HEALTHCHECK_TEAMS', 'HEALTHCHECK_BOT_TOKEN_FILE', 'HEALTHCHECK_JITTER']) expect(r.err).toContain(variable);
    expect(r.err).toContain('warning:');
  });
});
