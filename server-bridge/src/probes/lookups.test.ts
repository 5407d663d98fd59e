import {MattermostApiError} from '../mm/errors';
import {probeContext} from './testing/context';
import {botUserId, forgetLookupsOn, probeChannelId, teamId} from './lookups';
import {json, localHttp, type LocalHttp} from './testing/local-http';

let server: LocalHttp;
let channelId = 'chan1';

beforeAll(async () => {
  server = await localHttp((req, _body, res) => {
    if (req.url === '/api/v4/teams/name/ops') return json(res, 200, {id: 'team1', name: 'ops'});
    if (req.url === '/api/v4/teams/team1/channels/name/probe') return json(res, 200, {id: channelId, name: 'probe'});
    if (req.url === '/api/v4/users/me') return json(res, 200, {id: 'bot1'});
    json(res, 404, {message: 'not found'});
  });
});
afterAll(() => server.close());

describe('lookups', () => {
  const cache = new Map<string, unknown>();
  const ctx = () => probeContext({name: 't', url: server.url, team: 'ops', probeChannel: 'probe', botToken: 'b'}, {timeoutMs: 2000, cache});

  it('looks names up once per target', async () => {
    expect(await probeChannelId(ctx(), 'b')).toBe('chan1');
    expect(await teamId(ctx(), 'b')).toBe('team1');
    expect(await botUserId(ctx())).toBe('bot1');
    expect(await probeChannelId(ctx(), 'b')).toBe('chan1');
    expect(server.requests.map((r) => r.url)).toEqual(['/api/v4/teams/name/ops', '/api/v4/teams/team1/channels/name/probe', '/api/v4/users/me']);
  });

  it('forgets them on 403/404 (a channel deleted and re-created), not on other errors', async () => {
    channelId = 'chan2';
    forgetLookupsOn(ctx(), new MattermostApiError('boom', 500, 'POST', '/posts', null));
    expect(await probeChannelId(ctx(), 'b')).toBe('chan1');
    forgetLookupsOn(ctx(), new MattermostApiError('Unable to find the channel', 404, 'POST', '/posts', null));
    expect(await probeChannelId(ctx(), 'b')).toBe('chan2');
  });

  it('does not keep a failed lookup', async () => {
    const other = probeContext({name: 't', url: server.url, team: 'nope', probeChannel: 'probe'}, {timeoutMs: 2000, cache: new Map()});
    await expect(teamId(other, 'b')).rejects.toMatchObject({status: 404});
    expect(other.cache.size).toBe(0);
  });
});
