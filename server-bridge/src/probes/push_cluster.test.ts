import {probeContext} from './testing/context';
import {runCluster} from './cluster';
import {runPush} from './push';
import {json, localHttp, type LocalHttp} from './testing/local-http';

let server: LocalHttp;
let answer: {status: number; body: unknown};

beforeAll(async () => {
  server = await localHttp((_req, _body, res) => json(res, answer.status, answer.body));
});
afterAll(() => server.close());

const ctx = (extra: object) => probeContext({name: 't', url: server.url, ...extra}, {timeoutMs: 2000, cache: new Map()});

describe('push', () => {
  it('sends ping with the device id, no token, and holds when the server says true', async () => {
    answer = {status: 200, body: {status: 'OK', CanReceiveNotifications: 'true'}};
    const result = await runPush(ctx({pushDeviceId: 'android_rn-v2:abc123'}));
    expect(result.ok).toBe(true);
    expect(server.requests.at(-1)?.url).toBe('/api/v4/system/ping?device_id=android_rn-v2%3Aabc123');
    expect(server.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it.each([
    ['false', 'push notifications are off'],
    ['unknown', 'push proxy could not be reached'],
  ])('fails on %s, saying what it means', async (value, meaning) => {
    answer = {status: 200, body: {status: 'OK', CanReceiveNotifications: value}};
    const result = await runPush(ctx({pushDeviceId: 'ios:tok'}));
    expect(result.ok).toBe(false);
    expect(result.checks[0]).toMatchObject({label: 'CanReceiveNotifications', expected: 'true', observed: expect.stringContaining(meaning)});
  });

  it('fails when the field is missing (older server) and is not configured without a device id', async () => {
    answer = {status: 200, body: {status: 'OK'}};
    expect((await runPush(ctx({pushDeviceId: 'ios:tok'}))).checks[0]?.observed).toContain('missing (HTTP 200');
    const none = await runPush(ctx({}));
    expect(none.notConfigured).toEqual(['pushDeviceId']);
  });
});

describe('cluster', () => {
  const node = (id: string, version: string, hash: string) => ({id, hostname: id, version, config_hash: hash, ipaddress: '10.0.0.1'});

  it('says not applicable for [] (Team Edition, no licence) and never fails on it', async () => {
    answer = {status: 200, body: []};
    const result = await runCluster(ctx({adminToken: 'admintoken'}));
    expect(result.ok).toBe(true);
    expect(result.checks[0]?.observed).toContain('not applicable');
    expect(result.facts).toEqual({clusterNodes: 0});
    expect(server.requests.at(-1)).toMatchObject({url: '/api/v4/cluster/status', headers: {authorization: 'Bearer admintoken'}});
  });

  it('holds when every node agrees and names the odd node out otherwise', async () => {
    answer = {status: 200, body: [node('a', '11.4.0', 'h1'), node('b', '11.4.0', 'h1')]};
    expect((await runCluster(ctx({adminToken: 'x'}))).ok).toBe(true);
    answer = {status: 200, body: [node('a', '11.4.0', 'h1'), node('b', '11.3.0', 'h2')]};
    const result = await runCluster(ctx({adminToken: 'x'}));
    expect(result.ok).toBe(false);
    expect(result.checks.map((c) => [c.label, c.ok, c.observed])).toEqual([
      ['same version', false, 'a 11.4.0, b 11.3.0'],
      ['same config', false, 'a h1, b h2'],
    ]);
  });

  it('fails when the server refuses, and is not configured without an admin token', async () => {
    answer = {status: 403, body: {message: 'You do not have the appropriate permissions.'}};
    expect((await runCluster(ctx({adminToken: 'x'}))).ok).toBe(false);
    expect((await runCluster(ctx({}))).notConfigured).toEqual(['adminToken']);
  });
});
