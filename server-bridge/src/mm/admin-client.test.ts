import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {AdminClient} from './admin-client';
import {MattermostApiError, MattermostUnreachableError, describeError} from './errors';

const TOKEN = 'admintoken0000000000000000';

describe('AdminClient (Client4) errors', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/api/v4/users/me') return void res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({id: 'me1', username: 'admin'}));
      if (req.url === '/api/v4/teams/name/gone')
        return void res
          .writeHead(404, {'content-type': 'application/json'})
          .end(JSON.stringify({id: 'app.team.get_by_name.missing.app_error', message: 'Unable to find the existing team.', status_code: 404}));
      // A proxy in front of the server: its own page, no JSON, no status in the body.
      res.writeHead(502, {'content-type': 'text/html'}).end('<html>Bad Gateway</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('returns what the server answers', async () => {
    expect(await new AdminClient(url, TOKEN).getMe()).toMatchObject({id: 'me1'});
  });

  it("keeps the server's status, error id and message", async () => {
    const err = await new AdminClient(url, TOKEN).getTeamByName('gone').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MattermostApiError);
    expect(err).toMatchObject({status: 404, serverErrorId: 'app.team.get_by_name.missing.app_error', method: 'GET', path: '/teams/name/gone'});
    expect(describeError(err)).toBe('404 Unable to find the existing team.');
  });

  it('keeps the HTTP status of an answer that is not Mattermost’s (Client4 alone loses it)', async () => {
    const err = await new AdminClient(url, TOKEN).getUser('u1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MattermostApiError);
    expect(describeError(err)).toBe('502 <html>Bad Gateway</html>');
    expect(JSON.stringify(err) + String(err)).not.toContain(TOKEN);
  });

  it('says when the server could not be reached', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await new AdminClient(`http://127.0.0.1:${port}`, TOKEN).getMe().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MattermostUnreachableError);
    expect(err).toMatchObject({method: 'GET', path: '/users/me', timedOut: false});
    expect(describeError(err)).toMatch(/^GET \/users\/me failed: /);
  });
});
