import {createServer, type Server} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {deadline} from '../deadline';
import {MattermostClient} from './client';
import {MattermostUnreachableError} from './errors';
import {httpFetch} from './http';

let server: Server;
let url: string;
let arrivals: number[] = [];
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((req, res) => {
    arrivals.push(performance.now());
    req.resume();
    const path = req.url?.replace(/^\/api\/v4/, '');
    req.on('end', () => {
      if (path === '/redirect') return void res.writeHead(302, {Location: '/elsewhere'}).end();
      if (path === '/silent') return;
      // Promises 100 bytes, sends 5 and hangs up.
      if (path === '/cut') return void (res.writeHead(200, {'Content-Length': '100'}).write('hello'), setTimeout(() => res.socket?.destroy(), 20));
      if (path === '/echo') return void res.writeHead(200, {'Content-Type': 'text/plain', 'X-Seen': `${req.method} ${req.headers['content-length'] ?? '-'}`, 'Set-Cookie': ['a=1', 'b=2']}).end('é');
      res.writeHead(201, {'Content-Type': 'application/json'}).end('{"id":"p1"}');
    });
  });
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
beforeEach(() => {
  arrivals = [];
});

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('httpFetch', () => {
  it('answers with status, headers (case-insensitive, repeated ones joined) and the body as UTF-8', async () => {
    const res = await httpFetch(`${url}/echo`, {method: 'POST', headers: {}, body: 'abc'});
    expect({status: res.status, ok: res.ok, statusText: res.statusText}).toEqual({status: 200, ok: true, statusText: 'OK'});
    expect(res.headers.get('x-seen')).toBe('POST 3');
    expect(res.headers.get('Set-Cookie')).toBe('a=1, b=2');
    expect(res.headers.get('missing')).toBeNull();
    await expect(res.text()).resolves.toBe('é');
  });

  it('returns a redirect as the answer, never following it', async () => {
    const res = await httpFetch(`${url}/redirect`, {method: 'GET', headers: {}});
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/elsewhere');
  });

  it('keeps the connection alive between calls', async () => {
    await (await httpFetch(`${url}/echo`, {method: 'GET', headers: {}})).text();
    const before = sockets.size;
    await (await httpFetch(`${url}/echo`, {method: 'GET', headers: {}})).text();
    expect(sockets.size).toBe(before);
  });

  it('fails text() when the connection closes before the answer is complete', async () => {
    const res = await httpFetch(`${url}/cut`, {method: 'GET', headers: {}});
    await expect(res.text()).rejects.toThrow();
  });
});

describe('MattermostClient on httpFetch: the errors the probes read', () => {
  it('names a refused connection by its code', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await new MattermostClient({url: `http://127.0.0.1:${port}`}).get('/system/ping').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MattermostUnreachableError);
    expect(err).toMatchObject({timedOut: false, cause: {code: 'ECONNREFUSED'}});
  });

  it('says "no answer within N ms" when the deadline aborts the call', async () => {
    const {signal} = deadline(50);
    const err = await new MattermostClient({url}).get('/silent', {signal}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MattermostUnreachableError);
    expect(err).toMatchObject({timedOut: true, message: 'GET /api/v4/silent failed: no answer within 50 ms'});
    // As fetch: the call fails with the signal's reason, which the outbox's error text reads.
    expect((err as Error).cause).toBe(signal.reason);
  });
});

describe('onSent', () => {
  it('is the instant the request was written to the socket, not when the call was made', async () => {
    const client = new MattermostClient({url, token: 'tok'});
    let sentAt = 0;
    const calledAt = performance.now();
    const posted = client.post<{id: string}>('/posts', {message: 'hi'}, {onSent: (at) => (sentAt = at)});
    // The loop is held after the call: the request cannot be written before this ends.
    busy(40);
    const heldUntil = performance.now();
    await expect(posted).resolves.toEqual({id: 'p1'});
    expect(sentAt - calledAt).toBeGreaterThanOrEqual(40);
    expect(sentAt).toBeGreaterThanOrEqual(heldUntil);
    expect(arrivals[0]).toBeGreaterThanOrEqual(sentAt);
  });

  it('is the instant the connection was made when the call needed a new one', async () => {
    // Both at once: the second call cannot reuse the first one's connection.
    const client = new MattermostClient({url, token: 'tok'});
    const sent: number[] = [0, 0];
    await Promise.all([client.post('/posts', {n: 1}, {onSent: (at) => (sent[0] = at)}), client.post('/posts', {n: 2}, {onSent: (at) => (sent[1] = at)})]);
    expect(sent.every((t) => t > 0)).toBe(true);
    expect(Math.min(...arrivals)).toBeGreaterThanOrEqual(Math.min(...sent));
  });

  it('tells each of several requests in flight its own instant', async () => {
    const client = new MattermostClient({url, token: 'tok'});
    const sent: number[] = [0, 0];
    const first = client.post('/posts', {n: 1}, {onSent: (at) => (sent[0] = at)});
    busy(20);
    const between = performance.now();
    const second = client.post('/posts', {n: 2}, {onSent: (at) => (sent[1] = at)});
    busy(20);
    await Promise.all([first, second]);
    expect(sent.every((t) => t > 0)).toBe(true);
    expect(sent[1]).toBeGreaterThanOrEqual(between);
  });

  it('is never called when no request left (a stand-in for the HTTP call)', async () => {
    const client = new MattermostClient({url, fetch: async () => new Response('{}', {status: 200, headers: {'Content-Type': 'application/json'}})});
    let called = false;
    await client.post('/posts', {}, {onSent: () => (called = true)});
    expect(called).toBe(false);
  });
});
