// A stub of the post endpoints Mattermost serves the outbox, at the unit's boundary (outbox and
// state-store tests): behaviour per request is scripted; paging honours page, per_page and since.
import http from 'node:http';
import {once} from 'node:events';
import type {AddressInfo} from 'node:net';

export const CH = 'channel0000000000000000000';
export const LOG = 'logchannel0000000000000000';
export const OTHER = 'otherchannel00000000000000';
export const BOT_ID = 'botuser0000000000000000000';

export interface Stored {
  id: string;
  channel_id: string;
  user_id: string;
  root_id: string;
  message: string;
  props: Record<string, unknown>;
  delete_at: number;
  create_at: number;
  update_at: number;
}

/**
 * A stub of the three post endpoints at the unit's boundary; behaviour per request is scripted.
 * The channel's posts are served as Mattermost does: newest first, by page and per_page, or
 * every post changed after `since`.
 */
export async function stubServer() {
  const posts: Stored[] = [];
  const requests: string[] = [];
  const hanging: http.ServerResponse[] = [];
  let mode: 'ok' | 'store-then-hang' | 'down-500' | 'bad-request' | 'refuse' | 'frozen' = 'ok';
  /** Creates a frozen server holds: they run when thawed, as after SIGCONT. */
  const frozen: (() => void)[] = [];
  /** pending_post_id -> post id, as Mattermost keeps them (30 s; the tests are shorter). */
  const seenPending = new Map<string, string>();
  /** Channels the bot may not post in (403), and ones whose posts fail with 500. */
  const forbidden = new Set<string>();
  const failing = new Set<string>();
  let serverClock = 5_000_000;
  /** Called with each create as it arrives, before it is stored (a test reads the state file at that instant). */
  let onCreate: (post: {pending_post_id?: string; message: string; root_id?: string}) => void = () => undefined;
  /** Creates of these delivery ids are refused with 403 (a reply the bot may not make, say). */
  const forbiddenDeliveries = new Set<string>();
  /** Patches fail with 500 while this is set. */
  let failPatches = false;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      requests.push(`${req.method} ${url.pathname}`);
      if (mode === 'refuse') return req.socket.destroy();
      const json = (status: number, data: unknown) => res.writeHead(status, {'Content-Type': 'application/json'}).end(JSON.stringify(data));
      if (mode === 'down-500') return json(500, {id: 'store.sql', message: 'database unavailable'});
      if (req.method === 'POST' && url.pathname === '/api/v4/posts') {
        if (mode === 'bad-request') return json(400, {id: 'api.post.invalid', message: 'invalid post'});
        const p = JSON.parse(body) as Stored;
        onCreate(p as {pending_post_id?: string; message: string; root_id?: string});
        if (forbidden.has(p.channel_id) || forbiddenDeliveries.has((p as {pending_post_id?: string}).pending_post_id ?? ''))
          return json(403, {id: 'api.context.permissions.app_error', message: 'You do not have the appropriate permissions.'});
        if (failing.has(p.channel_id)) return json(500, {id: 'store.sql', message: 'database unavailable'});
        const create = () => {
          const pending = (p as {pending_post_id?: string}).pending_post_id;
          const seen = pending ? posts.find((q) => q.id === seenPending.get(pending)) : undefined;
          if (seen) return seen;
          serverClock += 1;
          const stored = {...p, id: `post${posts.length + 1}`.padEnd(26, '0'), user_id: BOT_ID, root_id: p.root_id ?? '', delete_at: 0, create_at: serverClock, update_at: serverClock};
          posts.push(stored);
          if (pending) seenPending.set(pending, stored.id);
          return stored;
        };
        if (mode === 'frozen') {
          frozen.push(() => json(201, create()));
          return;
        }
        const stored = create();
        if (mode === 'store-then-hang') {
          hanging.push(res);
          return;
        }
        return json(201, stored);
      }
      const byName = /^\/api\/v4\/teams\/name\/\w+\/channels\/name\/(\w+)$/.exec(url.pathname);
      if (req.method === 'GET' && byName) return json(200, {id: byName[1] === 'log' ? LOG : CH, name: byName[1]});
      if (req.method === 'GET' && url.pathname === '/api/v4/users/me') return json(200, {id: BOT_ID, username: 'bot', roles: 'system_user', delete_at: 0});
      const list = /^\/api\/v4\/channels\/(\w+)\/posts$/.exec(url.pathname);
      if (req.method === 'GET' && list) {
        let inChannel = posts.filter((p) => p.channel_id === list[1]).sort((a, b) => b.create_at - a.create_at);
        const since = url.searchParams.get('since');
        if (since) inChannel = inChannel.filter((p) => p.update_at > Number(since));
        else {
          const perPage = Math.min(200, Number(url.searchParams.get('per_page') ?? 60));
          const page = Number(url.searchParams.get('page') ?? 0);
          inChannel = inChannel.filter((p) => p.delete_at === 0).slice(page * perPage, (page + 1) * perPage);
        }
        return json(200, {order: inChannel.map((p) => p.id), posts: Object.fromEntries(inChannel.map((p) => [p.id, p]))});
      }
      const one = /^\/api\/v4\/posts\/(\w+)$/.exec(url.pathname);
      if (req.method === 'GET' && one) {
        const found = posts.find((p) => p.id === one[1]);
        return found ? json(200, found) : json(404, {message: 'not found'});
      }
      const patch = /^\/api\/v4\/posts\/(\w+)\/patch$/.exec(url.pathname);
      if (req.method === 'PUT' && patch) {
        const target = posts.find((p) => p.id === patch[1]);
        if (!target) return json(404, {message: 'not found'});
        if (failPatches) return json(500, {id: 'store.sql', message: 'database unavailable'});
        Object.assign(target, JSON.parse(body), {update_at: ++serverClock});
        return json(200, target);
      }
      json(404, {message: 'no route'});
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    posts,
    requests,
    forbidden,
    failing,
    forbiddenDeliveries,
    setMode: (m: typeof mode) => (mode = m),
    onCreate: (hook: typeof onCreate) => (onCreate = hook),
    failPatches: (on: boolean) => (failPatches = on),
    /** Runs the creates held while frozen (their clients may have given up long ago). */
    thaw: () => {
      mode = 'ok';
      for (const run of frozen.splice(0)) run();
    },
    /** Others post in a channel (newer than anything so far). */
    othersPost: (channel: string, n: number) => {
      for (let i = 0; i < n; i++) {
        serverClock += 1;
        posts.push({
          id: `other${posts.length + 1}`.padEnd(26, '0'),
          channel_id: channel,
          user_id: 'someoneelse000000000000000',
          root_id: '',
          message: 'chatter',
          props: {},
          delete_at: 0,
          create_at: serverClock,
          update_at: serverClock,
        });
      }
    },
    close: async () => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      server.close();
    },
  };
}
