// The TCP proxy of the fault tests (tests/lib/tcp-proxy.ts) itself, against a local echo server.
import net from 'node:net';
import type {AddressInfo} from 'node:net';
import {startTcpProxy, type TcpProxy} from '../lib/tcp-proxy';

let echo: net.Server;
let proxy: TcpProxy;

beforeAll(async () => {
  echo = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
});
afterAll(() => new Promise<void>((r) => echo.close(() => r())));
beforeEach(async () => {
  proxy = await startTcpProxy({port: (echo.address() as AddressInfo).port});
});
afterEach(() => proxy.close());

function connect(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({host: '127.0.0.1', port: proxy.port}, () => resolve(s));
    s.once('error', reject);
  });
}

function roundtrip(s: net.Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    s.once('data', (d: Buffer) => resolve(d.toString()));
    s.write(text);
  });
}

describe('tcp proxy', () => {
  it('forwards both ways on an ephemeral port', async () => {
    expect(proxy.port).toBeGreaterThan(0);
    const s = await connect();
    expect(await roundtrip(s, 'hello')).toBe('hello');
    expect(proxy.connections).toBe(1);
    s.destroy();
  });

  it('holds data back while a delay is set', async () => {
    const s = await connect();
    proxy.setDelay(60_000, 'toClient');
    let got = '';
    s.on('data', (d: Buffer) => (got += d.toString()));
    s.write('held');
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toBe('');
    s.destroy();
  });

  it('keeps the order when the delay is lowered with data in flight', async () => {
    const s = await connect();
    let got = '';
    const done = new Promise<void>((r) => s.on('data', (d: Buffer) => ((got += d.toString()), got.length === 2 && r())));
    proxy.setDelay(200, 'toTarget');
    s.write('a');
    // Let 'a' reach the proxy (and be held) before the delay drops.
    await new Promise((r) => setTimeout(r, 100));
    proxy.setDelay(0, 'toTarget');
    s.write('b');
    await done;
    expect(got).toBe('ab');
    s.destroy();
  });

  it('cuts open connections and still accepts new ones', async () => {
    const s = await connect();
    const closed = new Promise((r) => s.once('close', r));
    proxy.cutAll();
    await closed;
    expect(proxy.connections).toBe(0);
    const again = await connect();
    expect(await roundtrip(again, 'again')).toBe('again');
    again.destroy();
  });

  it('refuses new connections while blocked', async () => {
    proxy.setBlocked(true);
    const s = await connect();
    const closed = await new Promise<boolean>((r) => {
      s.once('data', () => r(false));
      s.once('close', () => r(true));
      s.write('x');
    });
    expect(closed).toBe(true);
    proxy.setBlocked(false);
    const ok = await connect();
    expect(await roundtrip(ok, 'y')).toBe('y');
    ok.destroy();
  });
});
