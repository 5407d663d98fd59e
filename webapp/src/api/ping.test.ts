import {fakeHttp, type FakeRequest} from '../testing/fakes';
import {serverRoutes} from '../testing/fixtures';
import {ping, versionFromHeader} from './ping';

describe('ping', () => {
  it('is read-only by default: no get_server_status at all, REST semantics on', async () => {
    const log: FakeRequest[] = [];
    const result = await ping(fakeHttp(serverRoutes(), log), false);
    expect(log[0]?.query.has('get_server_status')).toBe(false);
    expect(log[0]?.query.get('use_rest_semantics')).toBe('true');
    expect(result).toMatchObject({status: 'OK', searchBackend: 'database', version: '11.4.0', deep: false, database: undefined});
    expect(result.rttMs).toBeGreaterThanOrEqual(0);
  });

  it('asks for the database and file store only on the deep check', async () => {
    const log: FakeRequest[] = [];
    const result = await ping(fakeHttp(serverRoutes(), log), true);
    expect(log[0]?.query.get('get_server_status')).toBe('true');
    expect(result).toMatchObject({database: 'OK', filestore: 'OK', deep: true});
  });

  it('reports UNHEALTHY as the server says it', async () => {
    expect((await ping(fakeHttp(serverRoutes({pingStatus: 'UNHEALTHY'})), false)).status).toBe('UNHEALTHY');
  });

  it('reads the version from X-Version-Id', () => {
    expect(versionFromHeader('11.4.0..abcdef.false')).toBe('11.4.0');
    expect(versionFromHeader('10.12.1.12345.abc.true')).toBe('10.12.1');
    expect(versionFromHeader(null)).toBeNull();
    expect(versionFromHeader('garbage')).toBeNull();
  });
});
