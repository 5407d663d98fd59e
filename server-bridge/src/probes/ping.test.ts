import {probeContext} from './testing/context';
import {runPing, serverVersionFrom} from './ping';
import {json, localHttp, type LocalHttp} from './testing/local-http';

let server: LocalHttp;
let answer: {status: number; body: unknown; delayMs?: number};
let config: {status: number; body: unknown};

beforeAll(async () => {
  server = await localHttp((req, _body, res) => {
    if (req.url?.startsWith('/api/v4/system/ping')) {
      setTimeout(() => json(res, answer.status, answer.body, {'X-Version-Id': '11.4.0.123.abcdef.false'}), answer.delayMs ?? 0);
    } else if (req.url === '/api/v4/config') {
      json(res, config.status, config.body);
    } else json(res, 404, {message: 'not found'});
  });
});
afterAll(() => server.close());

const target = (extra: object = {}) => ({name: 'local', url: server.url, ...extra});
const ctx = (extra: object = {}, timeoutMs = 2000) => probeContext(target(extra), {timeoutMs, cache: new Map()});

describe('ping', () => {
  it('passes on status OK and records the server version', async () => {
    answer = {status: 200, body: {status: 'OK'}};
    const result = await runPing(ctx());
    expect(result).toMatchObject({probe: 'ping', target: 'local', ok: true, facts: {serverVersion: '11.4.0'}});
    expect(result.checks).toEqual([{label: 'status', ok: true, observed: 'OK', expected: 'OK'}]);
    expect(server.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('names the goroutine threshold on UNHEALTHY when an admin token can read the config', async () => {
    answer = {status: 500, body: {status: 'UNHEALTHY'}};
    config = {status: 200, body: {ServiceSettings: {GoroutineHealthThreshold: 10}}};
    const result = await runPing(ctx({adminToken: 'admintoken123456'}));
    expect(result.ok).toBe(false);
    expect(result.checks[0]?.observed).toBe('UNHEALTHY (GoroutineHealthThreshold is 10: the server has at least that many goroutines)');
    expect(result.error).toContain('GoroutineHealthThreshold is 10');
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer admintoken123456');
  });

  it('says how to learn the cause of UNHEALTHY without an admin token', async () => {
    answer = {status: 500, body: {status: 'UNHEALTHY'}};
    const result = await runPing(ctx());
    expect(result.checks[0]?.observed).toBe('UNHEALTHY (set an admin token to read GoroutineHealthThreshold, the documented cause)');
  });

  it('reports a config it could not read without leaking the token', async () => {
    answer = {status: 500, body: {status: 'UNHEALTHY'}};
    config = {status: 403, body: {message: 'You do not have the appropriate permissions.', id: 'api.context.permissions.app_error'}};
    const result = await runPing(ctx({adminToken: 'admintoken123456'}));
    expect(result.checks[0]?.observed).toBe('UNHEALTHY (could not read GoroutineHealthThreshold: HTTP 403: You do not have the appropriate permissions.)');
    expect(JSON.stringify(result)).not.toContain('admintoken123456');
  });

  it('fails on an answer that is not a ping', async () => {
    answer = {status: 502, body: 'bad gateway'};
    const result = await runPing(ctx());
    expect(result.ok).toBe(false);
    expect(result.checks[0]?.observed).toBe('HTTP 502: bad gateway');
  });

  it('fails with "no answer within N ms" when the server is too slow', async () => {
    answer = {status: 200, body: {status: 'OK'}, delayMs: 1000};
    const result = await runPing(ctx({}, 100));
    expect(result.ok).toBe(false);
    expect(result.checks[0]).toEqual({label: 'status', ok: false, observed: 'no answer within 100 ms', expected: 'OK'});
  });

  it('fails with "connection refused" when nothing listens', async () => {
    const closed = await localHttp(() => undefined);
    await closed.close();
    const result = await runPing(probeContext({name: 'gone', url: closed.url}, {timeoutMs: 2000, cache: new Map()}));
    expect(result.checks[0]?.observed).toBe('connection refused (ECONNREFUSED)');
  });
});

describe('serverVersionFrom', () => {
  it('takes the version from X-Version-Id', () => {
    expect(serverVersionFrom('11.4.0..e5d1.false')).toBe('11.4.0');
    expect(serverVersionFrom('dev')).toBe('dev');
    expect(serverVersionFrom(null)).toBeNull();
  });
});
