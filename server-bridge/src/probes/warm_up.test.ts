import type {AddressInfo} from 'node:net';
import {WebSocketServer, type WebSocket} from 'ws';
import type {FetchLike} from '../mm/client';
import {connectWebSocket} from '../mm/websocket';
import {probeContext} from './testing/context';
import {warmUp} from './warm_up';

let wss: WebSocketServer;
let url: string;
let server: WebSocket | undefined;

beforeAll(async () => {
  wss = new WebSocketServer({port: 0, host: '127.0.0.1'});
  await new Promise((r) => wss.once('listening', r));
  url = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  wss.on('connection', (socket) => {
    server = socket;
    socket.once('message', (raw) => {
      const challenge = JSON.parse(raw.toString()) as {seq: number};
      socket.send(JSON.stringify({status: 'OK', seq_reply: challenge.seq}));
      socket.send(JSON.stringify({event: 'hello', data: {server_version: '11.4.0'}, seq: 0}));
    });
  });
});
afterAll(() => new Promise<void>((r) => wss.close(() => r())));

const typing = (channelId: string) => JSON.stringify({event: 'typing', data: {parent_id: '', user_id: 'bot1'}, broadcast: {channel_id: channelId, omit_users: {bot1: true}}, seq: 3});
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), {status, headers: {'Content-Type': 'application/json'}});

async function setUp(answer: (path: string, body: unknown) => Response, timeoutMs = 10_000) {
  const calls: {path: string; body: unknown}[] = [];
  const fetch: FetchLike = async (input, init) => {
    const path = new URL(input).pathname;
    const body = JSON.parse(String(init.body)) as unknown;
    calls.push({path, body});
    return answer(path, body);
  };
  const ctx = probeContext({name: 't', url, botToken: 'bot-token'}, {timeoutMs, cache: new Map(), fetch});
  const socket = await connectWebSocket({url, token: 'probe', signal: AbortSignal.timeout(2000)});
  return {ctx, socket, calls, bot: ctx.client.withToken('bot-token')};
}

describe('warmUp', () => {
  it("has the bot type in the channel and resolves once the probe user's socket got it", async () => {
    const {ctx, socket, calls, bot} = await setUp(() => {
      // Another channel's typing first: only the probe channel's counts.
      server?.send(typing('other'));
      setTimeout(() => server?.send(typing('ch1')), 50);
      return json(200, {status: 'OK'});
    });
    const started = performance.now();
    await expect(warmUp(ctx, bot, 'bot1', 'ch1', socket)).resolves.toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    expect(calls).toEqual([{path: '/api/v4/users/bot1/typing', body: {channel_id: 'ch1'}}]);
    await socket.close();
  });

  it('gives up at once when the server refuses the call', async () => {
    const {ctx, socket, bot} = await setUp(() => json(403, {id: 'api.context.permissions.app_error', message: 'no', status_code: 403}));
    const started = performance.now();
    await expect(warmUp(ctx, bot, 'bot1', 'ch1', socket)).resolves.toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
    await socket.close();
  });

  it('gives up after a quarter of the run timeout when no typing event comes', async () => {
    const {ctx, socket, bot} = await setUp(() => json(200, {status: 'OK'}), 800);
    const started = performance.now();
    await expect(warmUp(ctx, bot, 'bot1', 'ch1', socket)).resolves.toBe(false);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(190);
    expect(took).toBeLessThan(700);
    await socket.close();
  });
});
