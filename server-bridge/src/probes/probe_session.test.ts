import {probeContext} from './testing/context';
import {describeFailure} from './failure';
import {loginProbeUser, ProbeLoginError, withProbeSession} from './probe_session';
import {json, localHttp, type LocalHttp} from './testing/local-http';

let server: LocalHttp;
let logins = 0;
let valid = new Set<string>();

beforeAll(async () => {
  server = await localHttp((req, body, res) => {
    if (req.url === '/api/v4/users/login') {
      const {password} = JSON.parse(body) as {password: string};
      if (password !== 'Right-1') return json(res, 401, {message: 'Enter a valid email or username and/or password.', id: 'api.user.login.invalid_credentials_email_username'});
      const token = `session${++logins}`;
      valid.add(token);
      return json(res, 200, {id: 'probeuserid', username: 'probe'}, {Token: token});
    }
    if (req.url === '/api/v4/users/me') {
      const token = (req.headers.authorization ?? '').replace('Bearer ', '');
      return valid.has(token) ? json(res, 200, {id: 'probeuserid'}) : json(res, 401, {message: 'Invalid or expired session, please login again.'});
    }
    json(res, 404, {});
  });
});
afterAll(() => server.close());

const target = (password = 'Right-1') => ({name: 't', url: server.url, probeUsername: 'probe', probePassword: password});

describe('probe user session', () => {
  it('logs in with the password and takes the token from the Token header', async () => {
    const login = await loginProbeUser(probeContext(target(), {timeoutMs: 2000, cache: new Map()}));
    expect(login).toEqual({token: `session${logins}`, userId: 'probeuserid', username: 'probe'});
    expect(JSON.parse(server.requests.at(-1)?.body ?? '{}')).toEqual({login_id: 'probe', password: 'Right-1'});
  });

  it('is reused across runs and renewed once when Mattermost rejects it', async () => {
    const cache = new Map<string, unknown>();
    const me = (token: string) => probeContext(target(), {timeoutMs: 2000, cache}).client.get<{id: string}>('/users/me', {token});
    const before = logins;
    await withProbeSession(probeContext(target(), {timeoutMs: 2000, cache}), (s) => me(s.token));
    await withProbeSession(probeContext(target(), {timeoutMs: 2000, cache}), (s) => me(s.token));
    expect(logins).toBe(before + 1);
    valid = new Set();
    const used: string[] = [];
    await withProbeSession(probeContext(target(), {timeoutMs: 2000, cache}), (s) => (used.push(s.token), me(s.token)));
    expect(logins).toBe(before + 2);
    expect(used).toEqual([`session${before + 1}`, `session${before + 2}`]);
  });

  it("fails with the server's reason on a wrong password and does not cache the failure", async () => {
    const cache = new Map<string, unknown>();
    const ctx = probeContext(target('Wrong-1'), {timeoutMs: 2000, cache});
    const err = await withProbeSession(ctx, async () => 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProbeLoginError);
    expect(describeFailure(ctx, err)).toBe('login of @probe failed: HTTP 401: Enter a valid email or username and/or password.');
    await expect(withProbeSession(probeContext(target(), {timeoutMs: 2000, cache}), async () => 'ok')).resolves.toBe('ok');
  });
});
