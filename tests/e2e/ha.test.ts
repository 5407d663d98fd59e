// Several bridges, one voice: bridge processes sharing a PostgreSQL store (a cluster of its own, so
// the store can be restarted without Mattermost's database) against the real server, each through a
// TCP proxy of its own so one can be cut from Mattermost alone. Every incident once, its recovery in
// its thread, whatever happens to the leader or the store.
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {stopChild} from '../lib/bridge-process';
import {buttonIds, testServer} from '../lib/mattermost';
import {waitFor} from '../lib/incident-bridge';
import {freshStoreDatabase, storeCluster, storeSql} from '../lib/store-cluster';
import {killStoreBridges, spawnStoreBridge, type StoreBridge} from '../lib/store-bridges';
import {startTcpProxy} from '../lib/tcp-proxy';
import type {MmPost, MmPostList} from '../../server-bridge/src/mm/types';

const mm = testServer();
const repo = path.resolve(__dirname, '../..');
const INTERVAL_S = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const running: StoreBridge[] = [];

async function bridges(names: string[], store: string, extra: Record<string, string> = {}): Promise<StoreBridge[]> {
  const out: StoreBridge[] = [];
  for (const name of names) {
    const r = await spawnStoreBridge(mm, name, store, {HEALTHCHECK_PING_INTERVAL: `${INTERVAL_S}s`, HEALTHCHECK_PING_TIMEOUT: '2s', HEALTHCHECK_RETRY_INTERVAL: '1s', ...extra});
    running.push(r);
    out.push(r);
  }
  return out;
}

async function metric(b: StoreBridge, name: string): Promise<number | null> {
  const text = await fetch(`http://127.0.0.1:${b.port}/metrics`, {signal: AbortSignal.timeout(2000)})
    .then((r) => r.text())
    .catch(() => '');
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : null;
}

const holder = async (db: string) => (await storeSql<{holder: string; epoch: number}>(db, "SELECT holder, epoch::int AS epoch FROM hc_lease WHERE name = 'leader' AND expires_at > now()"))[0] ?? null;

async function alertsSince(since: number): Promise<{post: MmPost; event: string; text: string}[]> {
  const list = await mm.admin.get<MmPostList>(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/posts`, {query: {since}});
  return Object.values(list.posts)
    .filter((p) => p.user_id === mm.env.MM_BOT_USER_ID && p.delete_at === 0 && p.create_at >= since && !(p as {original_id?: string}).original_id)
    .map((post) => ({post, event: String((post.props?.healthcheck_alert as {event?: string} | undefined)?.event ?? ''), text: post.message}))
    .sort((a, b) => a.post.create_at - b.post.create_at);
}

const goroutineThreshold = (n: number) => mm.admin.put('/config/patch', {ServiceSettings: {GoroutineHealthThreshold: n}});

beforeAll(() => {
  execFileSync('npm', ['run', 'build', '-w', 'server-bridge'], {cwd: repo, stdio: 'ignore'});
  storeCluster('start');
});

afterEach(async () => {
  await goroutineThreshold(0);
  await killStoreBridges(running);
});

afterAll(() => storeCluster('stop'));

describe('several bridges sharing a PostgreSQL store', () => {
  it('three start at once: one schema, one leader; one cut is outvoted; the leader cut too hands over and one incident names both; the new leader killed, the next continues it in its thread', async () => {
    const db = 'hc_ha_quorum';
    const store = await freshStoreDatabase(db);
    const [a, b, c] = await bridges(['a', 'b', 'c'], store, {HEALTHCHECK_QUORUM: '2'});
    await waitFor('three vantages and a leader', async () => (await storeSql(db, 'SELECT instance FROM hc_vantages')).length === 3 && (await holder(db)) !== null, 60_000);
    expect(await storeSql(db, 'SELECT version FROM hc_schema_migrations ORDER BY version')).toEqual([{version: 1}, {version: 2}]);
    await waitFor(
      'one leader by their metrics',
      async () => (await Promise.all([a, b, c].map((x) => metric(x as StoreBridge, 'healthcheck_leader')))).reduce((s, v) => (s ?? 0) + (v ?? 0), 0) === 1,
      15_000,
    );

    const since = Date.now();
    const first = (await holder(db)) as {holder: string; epoch: number};
    const [follower, other] = running.filter((r) => r.name !== first.holder) as [StoreBridge, StoreBridge];
    const firstLeader = running.find((r) => r.name === first.holder) as StoreBridge;
    // One bridge cut from Mattermost: its vote alone is not a quorum.
    follower.proxy.setBlocked(true);
    await sleep(4 * INTERVAL_S * 1000);
    expect((await alertsSince(since)).filter((x) => x.event)).toEqual([]);
    // The leader cut too: two votes open one incident; the leader, unable to post while another
    // bridge reaches Mattermost, hands the lease over, and that bridge posts it, naming both.
    firstLeader.proxy.setBlocked(true);
    const root = await waitFor('the incident root', async () => (await alertsSince(since)).find((x) => x.event === 'open'), 60_000);
    const cut = [follower.name, firstLeader.name].sort();
    expect(root.text).toContain(`Seen failing from \`${cut[0]}\`, \`${cut[1]}\`; healthy from \`${other.name}\``);
    expect((await holder(db))?.holder).toBe(other.name);
    expect(firstLeader.process.output()).toContain('cannot reach Mattermost');

    // The leader killed with the incident open: another takes over within two probe intervals.
    const before = (await holder(db)) as {holder: string; epoch: number};
    const leader = running.find((r) => r.name === before.holder) as StoreBridge;
    const killedAt = Date.now();
    await stopChild(leader.process.child, 'SIGKILL');
    const next = await waitFor(
      'a new leader',
      async () => {
        const h = await holder(db);
        return h && h.holder !== before.holder ? h : null;
      },
      30_000,
    );
    const takeoverS = (Date.now() - killedAt) / 1000;
    console.log(`takeover after the leader was killed: ${takeoverS.toFixed(1)} s (interval ${INTERVAL_S} s, lease 3 s)`);
    expect(next.epoch).toBeGreaterThan(before.epoch);
    expect(takeoverS).toBeLessThanOrEqual(2 * INTERVAL_S);

    for (const r of running) r.proxy.setBlocked(false);
    const recovered = await waitFor('the recovery', async () => (await alertsSince(since)).find((x) => x.event === 'resolved'), 90_000);
    await sleep(6_000);
    const all = await alertsSince(since);
    expect(all.filter((x) => x.event === 'open')).toHaveLength(1);
    expect(all.filter((x) => x.event === 'resolved')).toHaveLength(1);
    expect(recovered.post.root_id).toBe(root.post.id);
  }, 300_000);

  it('the leader paused (SIGSTOP) past its lease and resumed: the next leader posts the recovery, the resumed one posts nothing', async () => {
    const db = 'hc_ha_pause';
    const store = await freshStoreDatabase(db);
    await bridges(['a', 'b'], store);
    await waitFor('a leader', () => holder(db), 60_000);
    const since = Date.now();
    await goroutineThreshold(1);
    const root = await waitFor('the incident root', async () => (await alertsSince(since)).find((x) => x.event === 'open'), 60_000);
    const before = (await holder(db)) as {holder: string; epoch: number};
    const paused = running.find((r) => r.name === before.holder) as StoreBridge;
    paused.process.child.kill('SIGSTOP');
    try {
      await waitFor('the other bridge leading', async () => ((await holder(db))?.holder ?? before.holder) !== before.holder, 30_000);
      await goroutineThreshold(0);
      await waitFor('the recovery', async () => (await alertsSince(since)).some((x) => x.event === 'resolved'), 60_000);
    } finally {
      paused.process.child.kill('SIGCONT');
    }
    await sleep(8_000);
    const all = await alertsSince(since);
    expect(all.filter((x) => x.event === 'open').map((x) => x.post.id)).toEqual([root.post.id]);
    expect(all.filter((x) => x.event === 'resolved').map((x) => x.post.root_id)).toEqual([root.post.id]);
    expect(await metric(paused, 'healthcheck_leader')).toBe(0);
    expect(paused.process.output()).toContain('no longer the leader');
  }, 240_000);

  it("a button of the incident root clicked through Mattermost reaches a follower (behind the bridges' one public URL): the leader posts the acknowledgement once", async () => {
    const db = 'hc_ha_buttons';
    const store = await freshStoreDatabase(db);
    // The bridges' one public URL: a proxy that sends every button call to whichever bridge is not leading.
    const front = {port: 9};
    const frontProxy = await startTcpProxy(front);
    try {
      await bridges(['a', 'b'], store, {HEALTHCHECK_PUBLIC_URL: frontProxy.url, HEALTHCHECK_ACTION_SECRET: 'ha-e2e-one-secret-for-all-bridges-of-this-test'});
      await waitFor('a leader', () => holder(db), 60_000);
      const since = Date.now();
      await goroutineThreshold(1);
      const root = await waitFor('the incident root with its buttons', async () => (await alertsSince(since)).find((x) => x.event === 'open' && buttonIds(x.post).includes('ack')), 60_000);
      const leader = (await holder(db)) as {holder: string; epoch: number};
      const follower = running.find((r) => r.name !== leader.holder) as StoreBridge;
      front.port = follower.port;
      await mm.admin.request('POST', `/posts/${root.post.id}/actions/ack`, {body: {}});
      const ack = await waitFor('the acknowledgement in the thread', async () => (await alertsSince(since)).find((x) => x.event === 'ack'), 30_000);
      expect(ack.post.root_id).toBe(root.post.id);
      expect(ack.text).toContain(`Acknowledged by @${mm.env.MM_ADMIN_USERNAME}`);
      // The follower took the call; the leader, still the same, applied it and edited its root.
      expect((await holder(db))?.holder).toBe(leader.holder);
      expect(await storeSql(db, 'SELECT by_user FROM hc_acks')).toHaveLength(1);
      await waitFor('the root without its Acknowledge button', async () => !buttonIds(await mm.admin.get<MmPost>(`/posts/${root.post.id}`)).includes('ack'), 30_000);
      // A second click (the button still on a screen that has not refreshed) changes nothing.
      await mm.admin.request('POST', `/posts/${root.post.id}/actions/ack`, {body: {}, acceptStatus: [400, 403, 404]});
      await goroutineThreshold(0);
      await waitFor('the recovery', async () => (await alertsSince(since)).some((x) => x.event === 'resolved'), 60_000);
      await sleep(4_000);
      expect((await alertsSince(since)).filter((x) => x.event === 'ack')).toHaveLength(1);
    } finally {
      await frontProxy.close();
    }
  }, 240_000);

  it("the store's PostgreSQL stopped and started: probing and /metrics go on, posting waits, nothing lost or doubled", async () => {
    const db = 'hc_ha_store_down';
    const store = await freshStoreDatabase(db);
    const [a] = await bridges(['a', 'b'], store);
    await waitFor('a leader', () => holder(db), 60_000);
    const since = Date.now();
    storeCluster('stop');
    try {
      await goroutineThreshold(1);
      await sleep(4 * INTERVAL_S * 1000);
      expect(await metric(a as StoreBridge, 'healthcheck_probe_success\\{probe="ping",target="127.0.0.1"\\}')).toBe(0);
      expect((await alertsSince(since)).filter((x) => x.event)).toEqual([]);
    } finally {
      storeCluster('start');
    }
    const root = await waitFor('the incident root once the store is back', async () => (await alertsSince(since)).find((x) => x.event === 'open'), 90_000);
    await goroutineThreshold(0);
    await waitFor('the recovery', async () => (await alertsSince(since)).some((x) => x.event === 'resolved'), 90_000);
    await sleep(6_000);
    const all = await alertsSince(since);
    expect(all.filter((x) => x.event === 'open')).toHaveLength(1);
    expect(all.filter((x) => x.event === 'resolved').map((x) => x.post.root_id)).toEqual([root.post.id]);
    for (const r of running) expect(r.process.child.exitCode).toBeNull();
    // A clean stop: the last changes written, the lease given up, the pool closed, exit 0.
    await stopChild((a as StoreBridge).process.child, 'SIGTERM');
    expect((a as StoreBridge).process.child.exitCode).toBe(0);
    // Its own result history, saved in its own row at stop (b's waits for b's timer or stop).
    expect((await storeSql(db, 'SELECT instance FROM hc_history')).map((r) => (r as {instance: string}).instance)).toContain('a');
  }, 300_000);
});
