import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {isOwnResponseUrl, respond} from './server-calls';

const HOOK = 'abcdefghijklmnopqrstuvwxyz';

describe('isOwnResponseUrl', () => {
  const bases = ['https://chat.example.org', 'http://10.0.0.5:8065'];
  it.each([`https://chat.example.org/hooks/commands/${HOOK}`, `http://10.0.0.5:8065/hooks/commands/${HOOK}`])('accepts a command hook of the Site URL or the configured URL: %s', (url) => {
    expect(isOwnResponseUrl(bases, url)).toBe(true);
  });
  it('accepts hooks under a Site URL with a path', () => {
    expect(isOwnResponseUrl(['https://example.org/chat'], `https://example.org/chat/hooks/commands/${HOOK}`)).toBe(true);
    expect(isOwnResponseUrl(['https://example.org/chat'], `https://example.org/hooks/commands/${HOOK}`)).toBe(false);
  });
  it.each([
    `https://evil.example/hooks/commands/${HOOK}`,
    `https://chat.example.org.evil.example/hooks/commands/${HOOK}`,
    `https://chat.example.org@evil.example/hooks/commands/${HOOK}`,
    `https://user:pass@chat.example.org/hooks/commands/${HOOK}`,
    `http://chat.example.org/hooks/commands/${HOOK}`,
    `https://chat.example.org:8443/hooks/commands/${HOOK}`,
    `https://chat.example.org/hooks/commands/${HOOK}/../../api/v4/users`,
    `https://chat.example.org/hooks/commands/${HOOK}?x=1`,
    `https://chat.example.org/hooks/commands/short`,
    `https://chat.example.org/api/v4/hooks/commands/${HOOK}`,
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isOwnResponseUrl(bases, url)).toBe(false);
  });
});

describe('respond', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      if (req.url?.startsWith('/hooks/commands/redirect')) {
        res.writeHead(307, {location: `/hooks/commands/${HOOK}`}).end();
        return;
      }
      res.writeHead(200, {'content-type': 'text/plain'}).end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts to an accepted hook, and refuses others without a request', async () => {
    await respond([base], `${base}/hooks/commands/${HOOK}`, 'hello', 2000);
    await expect(respond(['https://chat.example.org'], `${base}/hooks/commands/${HOOK}`, 'hello', 2000)).rejects.toThrow('not a command hook');
    expect(seen).toEqual([`/hooks/commands/${HOOK}`]);
  });

  it('does not follow a redirect', async () => {
    seen.length = 0;
    await expect(respond([base], `${base}/hooks/commands/redirectxxxxxxxxxxxxxxxxxx`, 'hello', 2000)).rejects.toThrow('answered 307');
    expect(seen).toEqual(['/hooks/commands/redirectxxxxxxxxxxxxxxxxxx']);
  });
});
