// A minimal Mattermost websocket client for probes: connect, authentication_challenge, wait for
// `hello`, then watch events. Uses the `ws` package (Node 20 has no global WebSocket).
import type {WebSocketMessage} from '@mattermost/client';
import WebSocket from 'ws';
import {MattermostApiError, MattermostUnreachableError, describeError} from './errors';

const PATH = '/api/v4/websocket';

/** An event as parsed off the wire: the package's message, whose broadcast and seq a frame may lack. */
export type MmWebSocketEvent = Omit<WebSocketMessage<Record<string, unknown>>, 'broadcast' | 'seq'> & {broadcast?: Partial<WebSocketMessage['broadcast']>; seq?: number};

export interface ReceivedEvent {
  event: MmWebSocketEvent;
  /** performance.now() when the bytes that completed the frame were read off the socket, before parsing. */
  receivedAt: number;
}

export interface ActionReply {
  seq_reply: number;
  status?: string;
  data?: unknown;
  error?: {id?: string; message?: string};
}

export interface ConnectOptions {
  /** The server's base URL (http(s)://host[:port][/subpath]). */
  url: string;
  token: string;
  signal: AbortSignal;
  userAgent?: string;
}

/** The socket closed or refused the token before `hello`. */
export class MattermostWebSocketError extends Error {
  override readonly name = 'MattermostWebSocketError';
  constructor(
    message: string,
    readonly closeCode: number | null,
  ) {
    super(message);
  }
}

export function webSocketUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/^http(s?):\/\//i, (_m, s: string) => `ws${s}://`) + PATH;
}

export class MmWebSocket {
  private readonly listeners = new Set<(e: ReceivedEvent) => void>();
  private readonly replies = new Map<number, (reply: ActionReply) => void>();
  private closedWith: Error | null = null;
  /** The authentication challenge was seq 1. */
  private seq = 1;

  constructor(
    private readonly ws: WebSocket,
    /** performance.now() at the start of connect, at open, and at `hello`. */
    readonly timings: {startedAt: number; openAt: number; helloAt: number},
    readonly hello: {serverVersion: string | null; connectionId: string | null},
    /** When the socket's latest read arrived (0: not known). */
    private readonly arrival: {at: number} = {at: 0},
  ) {
    ws.on('message', (raw) => {
      // ws emits every frame of one read in that read's callback: the read's own time, not after
      // the work done for the frames before it.
      const receivedAt = arrival.at || performance.now();
      const event = parseEvent(raw) as (MmWebSocketEvent & ActionReply) | null;
      if (event?.event) for (const l of this.listeners) l({event, receivedAt});
      else if (typeof event?.seq_reply === 'number') this.replies.get(event.seq_reply)?.(event);
    });
    ws.on('close', (code) => this.fail(new MattermostWebSocketError(`the websocket closed (code ${code})`, code)));
    ws.on('error', (err) => this.fail(new MattermostUnreachableError(`websocket failed: ${describeError(err)}`, 'GET', PATH, false, {cause: err})));
  }

  /** Calls the listener for every event until the returned function is called. */
  onEvent(listener: (e: ReceivedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The first event (from now on) that matches, or a rejection on abort or close. */
  waitFor(match: (e: MmWebSocketEvent) => boolean, signal: AbortSignal): Promise<ReceivedEvent> {
    return this.pending<ReceivedEvent>(signal, (settle) => {
      const off = this.onEvent((e) => {
        if (match(e.event)) settle(e);
      });
      return off;
    });
  }

  /** Sends an action and resolves with the server's reply to it (proves the connection works both ways). */
  request(action: string, data: Record<string, unknown>, signal: AbortSignal): Promise<ActionReply> {
    return this.pending<ActionReply>(signal, (settle) => {
      const seq = ++this.seq;
      this.replies.set(seq, settle);
      this.ws.send(JSON.stringify({seq, action, data}));
      return () => this.replies.delete(seq);
    });
  }

  /**
   * A promise settled by `start`'s callback, or rejected when the signal aborts or the socket
   * closes; `start` returns its own clean-up, run once whichever comes first.
   */
  private pending<T>(signal: AbortSignal, start: (settle: (value: T) => void) => () => void): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.closedWith) return reject(this.closedWith);
      if (signal.aborted) return reject(abortError(signal));
      let cleanUp = (): void => undefined;
      const done = () => {
        cleanUp();
        signal.removeEventListener('abort', onAbort);
        this.ws.off('close', onClose);
      };
      const onAbort = () => {
        done();
        reject(abortError(signal));
      };
      const onClose = () => {
        done();
        reject(this.closedWith ?? new MattermostWebSocketError('the websocket closed', null));
      };
      signal.addEventListener('abort', onAbort, {once: true});
      this.ws.once('close', onClose);
      let settled = false;
      const stop = start((value) => {
        settled = true;
        done();
        resolve(value);
      });
      // Settled while starting: its clean-up was not known yet when done() ran.
      if (settled) stop();
      else cleanUp = stop;
    });
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Closes the socket and waits (briefly) for the close handshake. */
  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 1000);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close(1000);
    });
  }

  private fail(err: Error): void {
    this.closedWith ??= err;
  }
}

function parseEvent(raw: WebSocket.RawData): MmWebSocketEvent | null {
  try {
    const parsed: unknown = JSON.parse(raw.toString());
    return typeof parsed === 'object' && parsed !== null ? (parsed as MmWebSocketEvent) : null;
  } catch {
    return null;
  }
}

function abortError(signal: AbortSignal): MattermostUnreachableError {
  return new MattermostUnreachableError(`websocket: ${describeError(signal.reason)}`, 'GET', PATH, true, {cause: signal.reason});
}

/** Connects, authenticates with the token and resolves at `hello`; rejects with a clear reason otherwise. */
export function connectWebSocket(options: ConnectOptions): Promise<MmWebSocket> {
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) return reject(abortError(options.signal));
    const ws = new WebSocket(webSocketUrl(options.url), {headers: {'User-Agent': options.userAgent ?? 'mattermost-healthcheck-bridge'}});
    const arrival = {at: 0};
    // The socket's reads are stamped before ws parses them (ws adds its own listener after 'upgrade').
    ws.once('upgrade', (res) => res.socket.prependListener('data', () => (arrival.at = performance.now())));
    let openAt = 0;
    let settled = false;
    const finish = (err: Error | null, socket?: MmWebSocket) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      ws.off('message', onMessage);
      if (err) {
        ws.terminate();
        reject(err);
      } else if (socket) resolve(socket);
    };
    const onAbort = () => finish(abortError(options.signal));
    options.signal.addEventListener('abort', onAbort, {once: true});
    ws.on('unexpected-response', (_req, res) => {
      finish(new MattermostApiError(`the websocket upgrade was answered with HTTP ${res.statusCode}`, res.statusCode ?? 0, 'GET', PATH, null));
    });
    ws.on('error', (err) => finish(new MattermostUnreachableError(`websocket connect failed: ${describeError(err)}`, 'GET', PATH, false, {cause: err})));
    ws.on('close', (code, reason) => {
      const why = reason.length > 0 ? `: ${reason.toString().slice(0, 200)}` : '';
      finish(new MattermostWebSocketError(`the websocket closed before hello (code ${code}${why}); is the token valid?`, code));
    });
    ws.on('open', () => {
      openAt = performance.now();
      ws.send(JSON.stringify({seq: 1, action: 'authentication_challenge', data: {token: options.token}}));
    });
    const onMessage = (raw: WebSocket.RawData) => {
      const msg = parseEvent(raw) as (MmWebSocketEvent & {seq_reply?: number; status?: string; error?: {message?: string}}) | null;
      if (!msg) return;
      if (msg.seq_reply === 1 && msg.status && msg.status !== 'OK') {
        finish(new MattermostWebSocketError(`authentication refused: ${msg.error?.message ?? msg.status}`, null));
      } else if (msg.event === 'hello') {
        const data = msg.data ?? {};
        const hello = {
          serverVersion: typeof data.server_version === 'string' ? data.server_version : null,
          connectionId: typeof data.connection_id === 'string' ? data.connection_id : null,
        };
        finish(null, new MmWebSocket(ws, {startedAt, openAt, helloAt: performance.now()}, hello, arrival));
      }
    };
    ws.on('message', onMessage);
  });
}
