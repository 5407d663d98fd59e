import {HttpError, NetworkError, createHttp} from './http';
import {BASE, fakeFetch, type FakeRequest} from '../testing/fakes';

afterEach(() => {
  document.cookie = 'MMCSRF=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
});

describe('createHttp', () => {
  it('sends the session cookie and X-Requested-With, and the CSRF token only on non-GET requests', async () => {
    document.cookie = 'MMCSRF=csrf123';
    const log: FakeRequest[] = [];
    const http = createHttp(
      () => BASE,
      fakeFetch(() => ({body: {ok: true}}), log),
    );
    await http.get('/system/ping', {a: 'b'});
    await http.post('/commands/execute', {command: '/x'});
    expect(log[0]).toMatchObject({method: 'GET', path: '/system/ping', credentials: 'include'});
    expect(log[0]?.query.get('a')).toBe('b');
    expect(log[0]?.headers['X-Requested-With']).toBe('XMLHttpRequest');
    expect(log[0]?.headers['X-CSRF-Token']).toBeUndefined();
    expect(log[1]?.headers['X-CSRF-Token']).toBe('csrf123');
    expect(log[1]?.body).toEqual({command: '/x'});
  });

  it('keeps the status and the server message of an error', async () => {
    const http = createHttp(
      () => BASE,
      fakeFetch(() => ({status: 403, body: {message: 'You do not have the appropriate permissions.'}})),
    );
    const err = await http.get('/config').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(403);
    expect((err as HttpError).message).toContain('appropriate permissions');
  });

  it('turns a failed fetch into a NetworkError that keeps its cause', async () => {
    const http = createHttp(
      () => BASE,
      async () => {
        throw new TypeError('Failed to fetch');
      },
    );
    const err = await http.get('/system/ping').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).cause).toBeInstanceOf(TypeError);
  });
});
