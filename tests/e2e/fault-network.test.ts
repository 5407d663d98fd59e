// The outbox against the real server through a TCP proxy: a post whose answer is lost after the
// server stored it is not posted twice; posts wait while the network is cut and go in order.
import {randomUUID} from 'node:crypto';
import {testServer} from '../lib/mattermost';
import {startTcpProxy, type TcpProxy} from '../lib/tcp-proxy';
import {waitFor} from '../lib/incident-bridge';
import {DELIVERY_ID_PROP} from '../../server-bridge/src/contract';
import {MattermostClient} from '../../server-bridge/src/mm/client';
import {Outbox} from '../../server-bridge/src/outbox/outbox';
import {mattermostPostApi} from '../../server-bridge/src/outbox/post-api';
import type {MmPostList} from '../../server-bridge/src/mm/types';

const mm = testServer();
const channel = mm.env.MM_OPS_CHANNEL_ID as string;
let proxy: TcpProxy;

beforeEach(async () => {
  proxy = await startTcpProxy({port: Number(new URL(mm.url).port)});
});
afterEach(() => proxy.close());

async function postsWith(deliveryIds: string[]): Promise<string[]> {
  const list = await mm.admin.get<MmPostList>(`/channels/${channel}/posts`, {query: {per_page: 200}});
  return list.order
    .map((id) => list.posts[id])
    .filter((p) => p && p.delete_at === 0 && deliveryIds.includes(String(p.props?.[DELIVERY_ID_PROP])))
    .reverse()
    .map((p) => String(p?.props?.[DELIVERY_ID_PROP]));
}

function outbox(logs: string[]) {
  const bot = new MattermostClient({url: proxy.url, token: mm.env.MM_BOT_TOKEN});
  const log = (level: string) => (msg: string) => void logs.push(`${level} ${msg}`);
  return new Outbox({api: mattermostPostApi(bot), timeoutMs: 1000, initialBackoffMs: 100, maxBackoffMs: 400, log: {info: log('info'), warn: log('warn'), error: log('error')}});
}

describe('outbox through a faulty network', () => {
  it('does not double a post the server stored when its answer came too late', async () => {
    const logs: string[] = [];
    const box = outbox(logs);
    const id = randomUUID();
    proxy.setDelay(2500, 'toClient');
    box.enqueue({op: 'create', deliveryId: id, channelId: channel, message: `idempotency ${id}`, props: {}, happenedAt: Date.now()});
    await box.flush();
    expect(box.size).toBe(1);
    expect(logs.join('\n')).toMatch(/delivery failed.*|no answer|timeout/i);
    await waitFor('the server to have stored it', async () => (await postsWith([id])).length === 1);
    proxy.setDelay(0, 'toClient');
    await waitFor('the retry', async () => {
      await box.flush();
      return box.size === 0;
    });
    expect(await postsWith([id])).toEqual([id]);
    expect(logs.join('\n')).toContain('found an earlier delivery; not sending again');
  });

  it('keeps posts while the network is cut and delivers them in order once it is back', async () => {
    const logs: string[] = [];
    const box = outbox(logs);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    proxy.setBlocked(true);
    box.start();
    for (const id of ids) box.enqueue({op: 'create', deliveryId: id, channelId: channel, message: `ordered ${id}`, props: {}, happenedAt: Date.now()});
    await waitFor('three failed attempts', () => logs.filter((l) => l.includes('delivery failed')).length >= 3);
    expect(box.size).toBe(3);
    expect(await postsWith(ids)).toEqual([]);
    proxy.setBlocked(false);
    await waitFor('delivery', () => box.size === 0, 20_000);
    await box.stop();
    expect(await postsWith(ids)).toEqual(ids);
  });
});
