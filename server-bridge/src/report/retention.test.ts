import http from 'node:http';
import {once} from 'node:events';
import type {AddressInfo} from 'node:net';
import {REPORT_POST_TYPE} from '../contract/report';
import {MattermostClient} from '../mm/client';
import {ReportLedger} from './ledger';
import {ReportRetention} from './retention';

const BOT = 'botuser0000000000000000000';
const CH = 'logchannel0000000000000000';

/** The two endpoints retention uses, at the unit's boundary: a channel's posts (paged, newest first) and DELETE. */
async function stubServer(posts: {id: string; user_id: string; type: string; create_at: number; delete_at: number}[]) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(`${req.method} ${url.pathname}`);
    const json = (status: number, data: unknown) => res.writeHead(status, {'Content-Type': 'application/json'}).end(JSON.stringify(data));
    if (req.method === 'GET' && url.pathname === `/api/v4/channels/${CH}/posts`) {
      const perPage = Number(url.searchParams.get('per_page') ?? 60);
      const page = Number(url.searchParams.get('page') ?? 0);
      const live = posts
        .filter((p) => p.delete_at === 0)
        .sort((a, b) => b.create_at - a.create_at)
        .slice(page * perPage, (page + 1) * perPage);
      return json(200, {order: live.map((p) => p.id), posts: Object.fromEntries(live.map((p) => [p.id, p]))});
    }
    const del = /^\/api\/v4\/posts\/(\w+)$/.exec(url.pathname);
    if (req.method === 'DELETE' && del) {
      const post = posts.find((p) => p.id === del[1] && p.delete_at === 0);
      if (!post) return json(404, {message: 'not found'});
      post.delete_at = 1;
      return json(200, {status: 'OK'});
    }
    json(404, {message: 'no route'});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => server.close()};
}

describe('report retention with a ledger', () => {
  it('reads the channel once to adopt the posts made before, then deletes by id without reading it again', async () => {
    const DAY = 86_400_000;
    let now = 100 * DAY;
    const post = (id: string, at: number, user = BOT, type = REPORT_POST_TYPE) => ({id: id.padEnd(26, '0'), user_id: user, type, create_at: at, delete_at: 0});
    const posts = [post('old1', now - 9 * DAY), post('young1', now - 1 * DAY), post('foreign', now - 9 * DAY, 'someoneelse000000000000000'), post('plain', now - 9 * DAY, BOT, '')];
    const stub = await stubServer(posts);
    const ledger = new ReportLedger();
    const retention = new ReportRetention({
      bot: new MattermostClient({url: stub.url, token: 'bottoken'}),
      channelId: async () => CH,
      botUserId: async () => BOT,
      retentionMs: 7 * DAY,
      sweepMs: 3_600_000,
      log: {info: () => undefined, warn: () => undefined},
      now: () => now,
      ledger,
    });
    try {
      expect(await retention.sweep()).toEqual({deleted: 1, permanently: 0, failed: 0});
      expect(ledger.snapshot()).toEqual({adopted: true, posts: [{id: posts[1]?.id, at: now - DAY}]});
      // Delivered by the outbox since.
      ledger.add(post('new1', 0).id, now);
      stub.requests.length = 0;
      now += 6.5 * DAY;
      expect(await retention.sweep()).toEqual({deleted: 1, permanently: 0, failed: 0});
      expect(stub.requests).toEqual([`DELETE /api/v4/posts/${posts[1]?.id}`]);
      now += 1 * DAY;
      await retention.sweep();
      expect(stub.requests.filter((r) => r.startsWith('GET'))).toEqual([]);
      expect(ledger.size).toBe(0);
      expect(posts.map((p) => p.delete_at)).toEqual([1, 1, 0, 0]);
    } finally {
      await retention.stop();
      stub.close();
    }
  });
});
