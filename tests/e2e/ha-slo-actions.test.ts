// Several bridges and an SLO burn-rate alert's button: two bridges share a PostgreSQL store (a
// cluster of its own, as in ha.test.ts) behind one public URL that sends the button's call to the
// bridge that is not leading. The follower checks the click and hands the acknowledgement to the
// leader through the store; the leader, which alone posts, acknowledges the alert once.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {buttonIds, failingPing, testServer} from '../lib/mattermost';
import {waitFor} from '../lib/incident-bridge';
import {freshStoreDatabase, storeCluster, storeSql} from '../lib/store-cluster';
import {killStoreBridges, spawnStoreBridge, type StoreBridge} from '../lib/store-bridges';
import {startTcpProxy} from '../lib/tcp-proxy';
import {SLO_ALERT_POST_TYPE} from '../../server-bridge/src/contract';
import type {MmPost, MmPostList} from '../../server-bridge/src/mm/types';

const mm = testServer();
const repo = path.resolve(__dirname, '../..');
const DB = 'hc_ha_slo_buttons';
const slo = `ping-ha-${Date.now().toString(36)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const burn = failingPing(mm);
let store = '';
const running: StoreBridge[] = [];

const holder = async () => (await storeSql<{holder: string}>(DB, "SELECT holder FROM hc_lease WHERE name = 'leader' AND expires_at > now()"))[0]?.holder ?? null;

async function postsSince(since: number): Promise<MmPost[]> {
  const list = await mm.admin.get<MmPostList>(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/posts`, {query: {since}});
  return Object.values(list.posts).filter((p) => p.user_id === mm.env.MM_BOT_USER_ID && p.delete_at === 0 && !(p as {original_id?: string}).original_id);
}

beforeAll(async () => {
  execFileSync('npm', ['run', 'build', '-w', 'server-bridge'], {cwd: repo, stdio: 'ignore'});
  storeCluster('start');
  store = await freshStoreDatabase(DB);
});

afterAll(async () => {
  await burn.restore();
  await killStoreBridges(running);
  storeCluster('stop');
});

it("an SLO alert's Acknowledge reaching a follower is applied once by the leader, in the alert's thread", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-ha-slo-'));
  writeFileSync(path.join(dir, 'bridge.json'), JSON.stringify({slos: [{name: slo, probes: ['ping'], objective: 99, window: '2h'}]}));
  // The bridges' one public URL: a proxy that sends every button call to whichever bridge is not leading.
  const front = {port: 9};
  const frontProxy = await startTcpProxy(front);
  try {
    for (const name of ['a', 'b']) {
      running.push(
        await spawnStoreBridge(mm, name, store, {
          HEALTHCHECK_CONFIG_FILE: path.join(dir, 'bridge.json'),
          HEALTHCHECK_PUBLIC_URL: frontProxy.url,
          HEALTHCHECK_ACTION_SECRET: 'ha-slo-e2e-one-secret-for-both-bridges-of-this-test',
          HEALTHCHECK_PING_INTERVAL: '1s',
          HEALTHCHECK_PING_TIMEOUT: '900ms',
        }),
      );
    }
    await waitFor('a leader', () => holder(), 60_000);
    // Healthy runs in the windows first, then a real failure that burns the budget.
    await sleep(12_000);
    const since = Date.now();
    await burn.start();
    const root = await waitFor(
      'the SLO alert root with its buttons',
      async () => (await postsSince(since)).find((p) => p.type === SLO_ALERT_POST_TYPE && !p.root_id && p.message.includes(slo) && buttonIds(p).includes('ack')),
      90_000,
    );
    const leader = (await holder()) as string;
    const follower = running.find((r) => r.name !== leader) as (typeof running)[number];
    front.port = follower.port;
    expect((await mm.admin.request('POST', `/posts/${root.id}/actions/ack`, {body: {}})).status).toBe(200);
    const acks = async () => (await postsSince(since)).filter((p) => p.root_id === root.id && p.message.startsWith('Acknowledged by'));
    await waitFor('the acknowledgement in the thread', async () => (await acks()).length > 0, 30_000);
    expect((await acks()).map((p) => p.message)).toEqual([`Acknowledged by @${mm.env.MM_ADMIN_USERNAME}.`]);
    // The follower took the call and handed it over; the leader, still the same, applied it once.
    expect(follower.process.output()).toContain('SLO alert button');
    expect(await holder()).toBe(leader);
    expect(await storeSql(DB, "SELECT id FROM hc_requests WHERE kind = 'slo_ack' AND applied_at IS NOT NULL")).toHaveLength(1);
    await waitFor(
      'the root naming who, without Acknowledge',
      async () => {
        const p = await mm.admin.get<MmPost>(`/posts/${root.id}`);
        return p.message.includes(`Acknowledged by @${mm.env.MM_ADMIN_USERNAME}`) && !buttonIds(p).includes('ack');
      },
      30_000,
    );
    // A second click (a screen not refreshed yet): Mattermost no longer finds the button; nothing more.
    await mm.admin.request('POST', `/posts/${root.id}/actions/ack`, {body: {}, acceptStatus: [400, 403, 404]});
    await sleep(4_000);
    expect(await acks()).toHaveLength(1);
  } finally {
    await burn.restore();
    await frontProxy.close();
  }
}, 240_000);
