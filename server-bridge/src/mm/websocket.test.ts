import type {AddressInfo, Socket} from 'node:net';
import {WebSocketServer, type WebSocket} from 'ws';
import {MattermostApiError, MattermostUnreachableError} from './errors';
import {connectWebSocket, MattermostWebSocketError, webSocketUrl} from './websocket';

type Behaviour = (socket: WebSocket, challenge: {seq: number; action: string; data: {token: string}}) => void;

let wss: WebSocketServer;
let url: string;
let behaviour: Behaviour;
let upgradeStatus: number | null = null;
/** The server's end of the latest connection, for frames written byte by byte. */
let rawSocket: Socket | undefined;

beforeAll(async () => {
  wss = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    verifyClient: (_info, done) => (upgradeStatus ? done(false, upgradeStatus) : done(true)),
  });
  await new Promise((r) => wss.once('listening', r));
  url = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  wss.on('connection', (socket, req) => {
    expect(req.url).toBe('/api/v4/websocket');
    rawSocket = req.socket;
    socket.once('message', (raw) => behaviour(socket, JSON.parse(raw.toString())));
  });
});
afterAll(() => new Promise<void>((r) => wss.close(() => r())));
beforeEach(() => {
  upgradeStatus = null;
});

const helloing: Behaviour = (socket, challenge) => {
  socket.send(JSON.stringify({status: 'OK', seq_reply: challenge.seq}));
  socket.send(JSON.stringify({event: 'hello', data: {server_version: '11.4.0.x', connection_id: 'c1'}, seq: 0}));
};

describe('connectWebSocket', () => {
  it('authenticates with the token and resolves at hello', async () => {
    let seen: unknown;
    behaviour = (socket, challenge) => {
      seen = challenge;
      helloing(socket, challenge);
    };
    const socket = await connectWebSocket({url, token: 'tok-abc', signal: AbortSignal.timeout(2000)});
    expect(seen).toEqual({seq: 1, action: 'authentication_challenge', data: {token: 'tok-abc'}});
    expect(socket.hello).toEqual({serverVersion: '11.4.0.x', connectionId: 'c1'});
    expect(socket.timings.helloAt).toBeGreaterThanOrEqual(socket.timings.openAt);
    expect(socket.timings.openAt).toBeGreaterThanOrEqual(socket.timings.startedAt);
    await socket.close();
    expect(socket.isOpen).toBe(false);
  });

  it('rejects when the server closes instead of saying hello (a refused token)', async () => {
    behaviour = (socket) => socket.close(1008);
    const err = await connectWebSocket({url, token: 'bad', signal: AbortSignal.timeout(2000)}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MattermostWebSocketError);
    expect((err as Error).message).toContain('closed before hello (code 1008');
  });

  it('rejects on a failed authentication reply', async () => {
    behaviour = (socket, challenge) => socket.send(JSON.stringify({status: 'FAIL', seq_reply: challenge.seq, error: {message: 'invalid session'}}));
    await expect(connectWebSocket({url, token: 'bad', signal: AbortSignal.timeout(2000)})).rejects.toThrow('authentication refused: invalid session');
  });

  it('rejects with the HTTP status when the upgrade is refused', async () => {
    upgradeStatus = 401;
    const err = await connectWebSocket({url, token: 'x', signal: AbortSignal.timeout(2000)}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MattermostApiError);
    expect((err as MattermostApiError).status).toBe(401);
  });

  it('rejects as timed out when the signal aborts before hello', async () => {
    behaviour = () => undefined;
    const err = await connectWebSocket({url, token: 'x', signal: AbortSignal.timeout(200)}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MattermostUnreachableError);
    expect((err as MattermostUnreachableError).timedOut).toBe(true);
  });
});

describe('MmWebSocket.waitFor', () => {
  it('resolves with the first matching event and its arrival time', async () => {
    let server: WebSocket | undefined;
    behaviour = (socket, challenge) => {
      server = socket;
      helloing(socket, challenge);
    };
    const socket = await connectWebSocket({url, token: 't', signal: AbortSignal.timeout(2000)});
    const waiting = socket.waitFor((e) => e.event === 'posted' && e.data.n === 2, AbortSignal.timeout(2000));
    server?.send(JSON.stringify({event: 'posted', data: {n: 1}}));
    server?.send('not json');
    server?.send(JSON.stringify({event: 'posted', data: {n: 2}}));
    const got = await waiting;
    expect(got.event.data.n).toBe(2);
    expect(got.receivedAt).toBeGreaterThan(socket.timings.helloAt);
    await socket.close();
  });

  it('stamps each event with the read that brought it, not after the work done for the frames before it in that read', async () => {
    behaviour = helloing;
    const socket = await connectWebSocket({url, token: 't', signal: AbortSignal.timeout(2000)});
    // Two unmasked text frames (server to client) in one write, so they arrive in one read.
    const frame = (text: string) => Buffer.concat([Buffer.from([0x81, Buffer.byteLength(text)]), Buffer.from(text)]);
    const seen: Record<string, number> = {};
    socket.onEvent(({event, receivedAt}) => {
      seen[String(event.data.n)] = receivedAt;
      // Work for the first event (another listener, a probe's bookkeeping) that holds the loop 30 ms.
      const until = performance.now() + 30;
      if (event.data.n === 1) while (performance.now() < until);
    });
    const second = socket.waitFor((e) => e.data.n === 2, AbortSignal.timeout(2000));
    rawSocket?.write(Buffer.concat([frame(JSON.stringify({event: 'posted', data: {n: 1}})), frame(JSON.stringify({event: 'posted', data: {n: 2}}))]));
    const got = await second;
    expect(got.receivedAt).toBe(seen['2']);
    expect((seen['2'] as number) - (seen['1'] as number)).toBeLessThan(5);
    await socket.close();
  });

  it('rejects on abort and when the socket closes', async () => {
    let server: WebSocket | undefined;
    behaviour = (socket, challenge) => {
      server = socket;
      helloing(socket, challenge);
    };
    const socket = await connectWebSocket({url, token: 't', signal: AbortSignal.timeout(2000)});
    await expect(socket.waitFor(() => false, AbortSignal.timeout(50))).rejects.toMatchObject({timedOut: true});
    const waiting = socket.waitFor(() => false, AbortSignal.timeout(5000));
    server?.close(1001);
    await expect(waiting).rejects.toBeInstanceOf(MattermostWebSocketError);
    await expect(socket.waitFor(() => true, AbortSignal.timeout(5000))).rejects.toBeInstanceOf(MattermostWebSocketError);
  });
});

describe('MmWebSocket.request', () => {
  it('sends an action with its own seq and resolves with the reply to it', async () => {
    let server: WebSocket | undefined;
    const actions: {seq: number; action: string; data: unknown}[] = [];
    behaviour = (socket, challenge) => {
      server = socket;
      helloing(socket, challenge);
      socket.on('message', (raw) => {
        const msg = JSON.parse(raw.toString()) as {seq: number; action: string; data: unknown};
        actions.push(msg);
        socket.send(JSON.stringify({status: 'OK', seq_reply: msg.seq + 100}));
        socket.send(JSON.stringify({status: 'OK', seq_reply: msg.seq, data: {echo: msg.data}}));
      });
    };
    const socket = await connectWebSocket({url, token: 't', signal: AbortSignal.timeout(2000)});
    const reply = await socket.request('get_statuses_by_ids', {user_ids: ['u1']}, AbortSignal.timeout(2000));
    expect(actions).toEqual([{seq: 2, action: 'get_statuses_by_ids', data: {user_ids: ['u1']}}]);
    expect(reply).toEqual({status: 'OK', seq_reply: 2, data: {echo: {user_ids: ['u1']}}});
    server?.removeAllListeners('message');
    await expect(socket.request('x', {}, AbortSignal.timeout(50))).rejects.toMatchObject({timedOut: true});
    await socket.close();
    await expect(socket.request('x', {}, AbortSignal.timeout(2000))).rejects.toBeInstanceOf(MattermostWebSocketError);
  });
});

describe('webSocketUrl', () => {
  it('turns the server URL into its websocket URL', () => {
    expect(webSocketUrl('http://127.0.0.1:8065')).toBe('ws://127.0.0.1:8065/api/v4/websocket');
    expect(webSocketUrl('https://chat.example.com/mm/')).toBe('wss://chat.example.com/mm/api/v4/websocket');
  });
});
