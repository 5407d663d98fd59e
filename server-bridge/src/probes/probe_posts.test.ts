import {probeContext} from './testing/context';
import {PROBE_POST_PREFIX, probeMessage, rememberUnconfirmed, sweepUnconfirmed, unconfirmedCount} from './probe_posts';
import {isPostedEventFor} from './post_roundtrip';
import {json, localHttp, type LocalHttp} from './testing/local-http';

let server: LocalHttp;
let posts: Record<string, {id: string; user_id: string; message: string; delete_at: number; channel_id: string; create_at: number}>;
const deleted: string[] = [];

beforeAll(async () => {
  server = await localHttp((req, _body, res) => {
    // Newest first, by page: every post here fits on the first page.
    const list = /^\/api\/v4\/channels\/chan\/posts\?page=(\d+)&per_page=\d+$/.exec(req.url ?? '');
    if (req.method === 'GET' && list) return json(res, 200, list[1] === '0' ? {order: Object.keys(posts), posts} : {order: [], posts: {}});
    const del = /^\/api\/v4\/posts\/(\w+)$/.exec(req.url ?? '');
    if (req.method === 'DELETE' && del) {
      deleted.push(del[1] as string);
      return json(res, 200, {status: 'OK'});
    }
    json(res, 404, {message: 'not found'});
  });
});
afterAll(() => server.close());

describe('sweepUnconfirmed', () => {
  it("deletes only the bot's probe posts whose nonce is unconfirmed", async () => {
    const ctx = probeContext({name: 't', url: server.url, botToken: 'bot'}, {timeoutMs: 2000, cache: new Map()});
    posts = {
      mine: {id: 'mine', user_id: 'bot', message: probeMessage('n1'), delete_at: 0, channel_id: 'chan', create_at: Date.now()},
      other: {id: 'other', user_id: 'bot', message: probeMessage('n2'), delete_at: 0, channel_id: 'chan', create_at: Date.now()},
      forged: {id: 'forged', user_id: 'someone', message: probeMessage('n1'), delete_at: 0, channel_id: 'chan', create_at: Date.now()},
      gone: {id: 'gone', user_id: 'bot', message: probeMessage('n1'), delete_at: 5, channel_id: 'chan', create_at: Date.now()},
    };
    rememberUnconfirmed(ctx, 'n1', Date.now());
    const bot = ctx.client.withToken('bot');
    expect(await sweepUnconfirmed(ctx, bot, 'bot', 'chan', ctx.signal)).toBe(1);
    expect(deleted).toEqual(['mine']);
    expect(unconfirmedCount(ctx)).toBe(0);
    expect(await sweepUnconfirmed(ctx, bot, 'bot', 'chan', ctx.signal)).toBe(0);
    expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
  });
});

describe('isPostedEventFor', () => {
  const message = probeMessage('abc');
  const event = (post: object) => ({event: 'posted', data: {post: JSON.stringify(post)}});
  it('matches the posted event of our message in our channel only', () => {
    expect(message.startsWith(PROBE_POST_PREFIX)).toBe(true);
    expect(isPostedEventFor(event({channel_id: 'c', message}), 'c', message)).toBe(true);
    expect(isPostedEventFor(event({channel_id: 'other', message}), 'c', message)).toBe(false);
    expect(isPostedEventFor(event({channel_id: 'c', message: probeMessage('xyz')}), 'c', message)).toBe(false);
    expect(isPostedEventFor({event: 'post_edited', data: {post: JSON.stringify({channel_id: 'c', message})}}, 'c', message)).toBe(false);
    expect(isPostedEventFor({event: 'posted', data: {post: '{broken'}}, 'c', message)).toBe(false);
  });
});
