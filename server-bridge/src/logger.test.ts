import {Writable} from 'node:stream';
import {createLogger, logRun} from './logger';
import {SecretRegistry} from './secrets';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return {lines, destination};
}

describe('createLogger', () => {
  it('never writes a secret, whether in a message, a field or an error', () => {
    const {lines, destination} = capture();
    const token = 'k7x9bottokenvalue0000000000';
    const password = 'Hc-pa"ss\\word-9a';
    const log = createLogger({level: 'debug', secrets: [token, password], destination});
    log.info(`calling with ${token}`);
    log.warn({err: new Error(`login failed for password ${password}`), detail: {note: password}}, 'failed');
    log.info({botToken: token, headers: {authorization: `Bearer ${token}`}}, 'config');
    log.info({token: 'some-other-token-12345'}, 'token field');
    const text = lines.join('');
    expect(lines).toHaveLength(4);
    expect(text).not.toContain(token);
    expect(text).not.toContain('pa\\"ss');
    expect(text).not.toContain('some-other-token-12345');
    expect(text).toContain('[REDACTED]');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('blanks out a secret learned after the logger was made', () => {
    const {lines, destination} = capture();
    const secrets = new SecretRegistry(['configuredtoken1']);
    const log = createLogger({level: 'info', secrets, destination});
    secrets.add('learnedslashtoken000000000');
    log.info({detail: 'learnedslashtoken000000000 and configuredtoken1'}, 'learned later: learnedslashtoken000000000');
    expect(lines.join('')).not.toMatch(/learnedslashtoken|configuredtoken1/);
  });

  it('logs a passing run at debug and a failing run at warn, with the reason', () => {
    const {lines, destination} = capture();
    const log = createLogger({level: 'debug', secrets: [], destination});
    const base = {probe: 'ping', target: 'local', durationMs: 4.25, startedAt: 1000, checks: []};
    logRun(log, {result: {...base, ok: true}, trigger: 'schedule', plannedAt: 990, startedAt: 1000});
    logRun(log, {
      result: {...base, ok: false, error: 'status: UNHEALTHY (expected OK)', checks: [{label: 'status', ok: false, observed: 'UNHEALTHY', expected: 'OK'}]},
      trigger: 'schedule',
      plannedAt: 1000,
      startedAt: 1000,
    });
    const [ok, failed] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(ok).toMatchObject({level: 20, msg: 'probe ok', probe: 'ping', durationMs: 4.3, driftMs: 10});
    expect(failed).toMatchObject({level: 40, msg: 'probe failed', error: 'status: UNHEALTHY (expected OK)', failed: [{label: 'status', observed: 'UNHEALTHY'}]});
  });
});
