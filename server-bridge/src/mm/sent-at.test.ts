import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {MattermostClient} from './client';

let server: Server;
let url: string;
let arrivals: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    arrivals.push(performance.now());
    req.resume();
    req.on('end', () => res.writeHead(201, {'Content-Type': 'application/json'}).end('{"id":"p1"}'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  arrivals = [];
});

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('onSent', () => {
  it('is the instant the request was written to the socket, not when fetch was called', async () => {
    const client = new MattermostClient({url, token: 'tok'});
    let sentAt = 0;
    const calledAt = performance.now();
    const posted = client.post<{id: string}>('/posts', {message: 'hi'}, {onSent: (at) => (sentAt = at)});
    // The loop is held after the call: fetch cannot write the request before this ends.
    busy(40);
    const heldUntil = performance.now();
    await expect(posted).resolves.toEqual({id: 'p1'});
    expect(sentAt - calledAt).toBeGreaterThanOrEqual(40);
    expect(sentAt).toBeGreaterThanOrEqual(heldUntil);
    expect(arrivals[0]).toBeGreaterThanOrEqual(sentAt);
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

  it('is never called when no request left (a fetch stand-in)', async () => {
    const client = new MattermostClient({url, fetch: async () => new Response('{}', {status: 200, headers: {'Content-Type': 'application/json'}})});
    let called = false;
    await client.post('/posts', {}, {onSent: () => (called = true)});
    expect(called).toBe(false);
  });
});
