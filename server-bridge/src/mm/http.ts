// The bridge's HTTP calls on node:http and node:https (keep-alive), not Node's fetch: fetch loads
// undici and its WebAssembly parser on first use (~3-8 MB more memory, measured on Node 24), and
// WebAssembly is not there at all under --jitless, which the unit and image run with.
import http from 'node:http';
import https from 'node:https';
import type {Socket} from 'node:net';
import {TLSSocket} from 'node:tls';

export interface HttpInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Told the performance.now() at which the request was written to its connected socket. */
  onSent?: (at: number) => void;
}

/** What the bridge reads of an answer: a subset of fetch's Response, so a test can hand one in. */
export interface HttpAnswer {
  status: number;
  statusText: string;
  ok: boolean;
  headers: {get(name: string): string | null};
  text(): Promise<string>;
}

export type FetchLike = (url: string, init: HttpInit) => Promise<HttpAnswer>;

/** As undici's defaults: a connection not made in 10 s, or a server silent for 300 s, fails the call. */
const CONNECT_TIMEOUT_MS = 10_000;
const IDLE_TIMEOUT_MS = 300_000;
/** An idle kept-alive connection is closed after this (undici's default), well before a server would close it. */
const FREE_SOCKET_MS = 4_000;

const agents = {
  'http:': new http.Agent({keepAlive: true, timeout: FREE_SOCKET_MS}),
  'https:': new https.Agent({keepAlive: true, timeout: FREE_SOCKET_MS}),
};

function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), {code});
}

/** The instant the request's bytes go out: at once on a connected socket, else when it connects. */
function watchSent(socket: Socket, onSent: (at: number) => void): void {
  // 'socket' is emitted just before the request buffered so far is written to it.
  if (!socket.connecting) return onSent(performance.now());
  socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', () => onSent(performance.now()));
}

/** One request; redirects are answers (never followed); the body is read in full before text() is asked. */
export const httpFetch: FetchLike = (url, init) =>
  new Promise<HttpAnswer>((resolve, reject) => {
    const target = new URL(url);
    const agent = target.protocol === 'https:' ? agents['https:'] : target.protocol === 'http:' ? agents['http:'] : null;
    if (!agent) return reject(new TypeError(`unsupported protocol ${target.protocol}`));
    const send = target.protocol === 'https:' ? https.request : http.request;
    const req = send(target, {method: init.method, headers: init.headers, agent, signal: init.signal});
    req.once('socket', (socket: Socket) => {
      if (init.onSent) watchSent(socket, init.onSent);
      if (!socket.connecting) return;
      const timer = setTimeout(() => req.destroy(codedError(`connect timed out after ${CONNECT_TIMEOUT_MS} ms`, 'ETIMEDOUT')), CONNECT_TIMEOUT_MS);
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
    req.setTimeout(IDLE_TIMEOUT_MS, () => req.destroy(codedError(`the server sent nothing for ${IDLE_TIMEOUT_MS / 1000} s`, 'ESOCKETTIMEDOUT')));
    // As fetch: an aborted call fails with the signal's reason (its deadline's "no answer within …").
    const failWith = (fail: (reason: unknown) => void) => (err: Error) => fail(init.signal?.aborted ? init.signal.reason : err);
    req.on('error', failWith(reject));
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      const body = new Promise<string>((done, fail) => {
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => done(Buffer.concat(chunks).toString('utf8')));
        res.once('error', failWith(fail));
        res.once('close', () => (res.complete ? undefined : failWith(fail)(codedError('the connection closed before the answer was complete', 'ECONNRESET'))));
      });
      // Read or not, the body never fails unhandled.
      body.catch(() => undefined);
      const status = res.statusCode ?? 0;
      resolve({
        status,
        statusText: res.statusMessage ?? '',
        ok: status >= 200 && status <= 299,
        headers: {get: (name) => joined(res.headers[name.toLowerCase()])},
        text: () => body,
      });
    });
    req.end(init.body);
  });

function joined(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}
