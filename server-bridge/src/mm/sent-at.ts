// When a request really leaves: the instant its headers are written to the socket, from undici's
// diagnostics channels (which Node's own fetch publishes, on Node 20 and 24). A latency measured from
// before the fetch call would count fetch's own work, a connection set-up or a TLS handshake, and
// any event-loop turn in between, as the server's time.
import {AsyncLocalStorage} from 'node:async_hooks';
import diagnosticsChannel from 'node:diagnostics_channel';

type OnSent = (at: number) => void;

const caller = new AsyncLocalStorage<OnSent>();
/** The undici request each waiting caller's fetch created, until its headers are sent. */
const waiting = new WeakMap<object, OnSent>();
let subscribed = false;

function subscribe(): void {
  if (subscribed) return;
  subscribed = true;
  // request:create is published within the fetch call's async context, so the store names its caller.
  diagnosticsChannel.subscribe('undici:request:create', (message) => {
    const onSent = caller.getStore();
    if (onSent) waiting.set((message as {request: object}).request, onSent);
  });
  diagnosticsChannel.subscribe('undici:client:sendHeaders', (message) => {
    const {request} = message as {request: object};
    const onSent = waiting.get(request);
    if (!onSent) return;
    waiting.delete(request);
    onSent(performance.now());
  });
}

/**
 * Runs `send` (a fetch) and tells `onSent` the performance.now() at which its request's headers were
 * written to the socket; not called when no request left (a fetch stand-in, a refused connection).
 */
export function whenSent<T>(onSent: OnSent, send: () => T): T {
  subscribe();
  return caller.run(onSent, send);
}
