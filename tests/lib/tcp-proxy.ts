// A small TCP proxy for fault tests: listens on 127.0.0.1:<ephemeral>, forwards to a target, and
// can delay the bytes (per direction), cut every open connection, or refuse new ones.
import net from 'node:net';
import type {AddressInfo} from 'node:net';

export type Direction = 'both' | 'toTarget' | 'toClient';

export interface TcpProxy {
  /** The port the proxy listens on (127.0.0.1). */
  readonly port: number;
  /** http://127.0.0.1:<port>, for use as a Mattermost URL. */
  readonly url: string;
  /** Connections open right now. */
  readonly connections: number;
  /** Holds every chunk for ms before forwarding it (order kept); 0 forwards at once. */
  setDelay(ms: number, direction?: Direction): void;
  /** Destroys every open connection (both sides); new connections still work. */
  cutAll(): void;
  /** While blocked, new connections are closed at once and open ones are cut. */
  setBlocked(blocked: boolean): void;
  close(): Promise<void>;
}

interface Pending {
  due: number;
  chunk: Buffer | null;
}

/** Forwards from → to, each chunk held until its due time; null marks the end of the stream. */
function relay(from: net.Socket, to: net.Socket, delayMs: () => number): void {
  const queue: Pending[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    timer = null;
    const now = Date.now();
    while (queue.length > 0 && (queue[0] as Pending).due <= now) {
      const {chunk} = queue.shift() as Pending;
      if (to.destroyed) return;
      if (chunk === null) to.end();
      else to.write(chunk);
    }
    const head = queue[0];
    if (head) timer = setTimeout(flush, head.due - now);
  };
  const push = (chunk: Buffer | null) => {
    const last = queue.at(-1);
    // Never before the chunk ahead of it, so lowering the delay keeps the order.
    queue.push({due: Math.max(Date.now() + delayMs(), last?.due ?? 0), chunk});
    if (!timer) flush();
  };
  from.on('data', (chunk: Buffer) => push(chunk));
  from.on('end', () => push(null));
  from.on('close', () => {
    if (timer) clearTimeout(timer);
  });
}

export interface TcpProxyOptions {
  delayMs?: number;
  /** Sees every chunk as it arrives (a test reading what passes, e.g. a session token). */
  onData?: (direction: Exclude<Direction, 'both'>, chunk: Buffer) => void;
}

export async function startTcpProxy(target: {host?: string; port: number}, options: TcpProxyOptions = {}): Promise<TcpProxy> {
  const host = target.host ?? '127.0.0.1';
  const delay = {toTarget: options.delayMs ?? 0, toClient: options.delayMs ?? 0};
  const open = new Set<net.Socket>();
  let blocked = false;

  const server = net.createServer((client) => {
    if (blocked) {
      client.destroy();
      return;
    }
    const upstream = net.connect({host, port: target.port});
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        open.delete(s);
        // One side gone (cut, refused, reset): the other goes too, as on a real network failure.
        client.destroy();
        upstream.destroy();
      });
    }
    if (options.onData) {
      const tap = options.onData;
      client.on('data', (chunk: Buffer) => tap('toTarget', chunk));
      upstream.on('data', (chunk: Buffer) => tap('toClient', chunk));
    }
    relay(client, upstream, () => delay.toTarget);
    relay(upstream, client, () => delay.toClient);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const cutAll = () => {
    for (const s of open) s.destroy();
    open.clear();
  };
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get connections() {
      return Math.ceil(open.size / 2);
    },
    setDelay(ms, direction = 'both') {
      if (direction !== 'toClient') delay.toTarget = ms;
      if (direction !== 'toTarget') delay.toClient = ms;
    },
    cutAll,
    setBlocked(value) {
      blocked = value;
      if (value) cutAll();
    },
    close() {
      cutAll();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
