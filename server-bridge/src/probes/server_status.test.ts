import {probeContext} from './testing/context';
import {runServerStatus} from './server_status';
import {json, localHttp, type LocalHttp} from './testing/local-http';

let server: LocalHttp;
let answer: {status: number; body: unknown};

beforeAll(async () => {
  server = await localHttp((_req, _body, res) => json(res, answer.status, answer.body));
});
afterAll(() => server.close());

const run = (extra: object = {botToken: 'bottoken'}) => runServerStatus(probeContext({name: 't', url: server.url, ...extra}, {timeoutMs: 2000, cache: new Map()}));

describe('server_status', () => {
  it('asks for the status with get_server_status=true and the bot token', async () => {
    answer = {status: 200, body: {status: 'OK', database_status: 'OK', filestore_status: 'OK', ActiveSearchBackend: 'database'}};
    const result = await run();
    expect(result.ok).toBe(true);
    expect(result.facts).toEqual({activeSearchBackend: 'database'});
    expect(server.requests.at(-1)?.url).toBe('/api/v4/system/ping?get_server_status=true');
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer bottoken');
  });

  it('fails on an unhealthy database, saying which part', async () => {
    answer = {status: 500, body: {status: 'UNHEALTHY', database_status: 'UNHEALTHY', filestore_status: 'OK'}};
    const result = await run();
    expect(result.ok).toBe(false);
    expect(result.checks).toEqual([
      {label: 'database_status', ok: false, observed: 'UNHEALTHY', expected: 'OK'},
      {label: 'filestore_status', ok: true, observed: 'OK', expected: 'OK'},
    ]);
    expect(result.error).toBe('database_status: UNHEALTHY (expected OK)');
  });

  it('fails when the answer lacks the statuses (an old server, or no session)', async () => {
    answer = {status: 200, body: {status: 'OK'}};
    const result = await run();
    expect(result.checks.map((c) => c.observed)).toEqual(['missing (HTTP 200)', 'missing (HTTP 200)']);
  });

  it('is not configured without a token', async () => {
    const result = await run({});
    expect(result.notConfigured).toEqual(['botToken']);
    expect(result.checks).toEqual([]);
  });
});
