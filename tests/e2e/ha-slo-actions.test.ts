// Several bridges and an SLO burn-rate alert's button: two bridges share a PostgreSQL store (a
// cluster of its own, as in ha.test.ts) behind one public URL that sends the button's call to the
// bridge that is not leading. The follower checks the click and hands the acknowledgement to the
// leader through the store; the leader, which alone posts, acknowledges the alert once.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Client} from 'pg';
import {freePort, spawnBridge, stopChild, type BridgeProcess} from '../lib/bridge-process';
import {testServer} from '../lib/mattermost';
import {waitFor} from '../lib/incident-bridge';
import {startTcpProxy, type TcpProxy} from '../lib/tcp-proxy';
import {SLO_ALERT_POST_TYPE} from '../../server-bridge/src/contract';
import type {MmPost, MmPostList} from '../../server-bridge/src/mm/types';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const {instanceEnv} = require('../lib/instance') as {instanceEnv(): Record<string, string>};

const mm = testServer();
const repo = path.resolve(__dirname, '../..');
const STORE_PORT = Number(instanceEnv().PG_PORT) + 40;
const DB = 'hc_ha_slo_buttons';
const slo = `ping-ha-${Date.now().toString(36)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let threshold = 0;
const running: {name: string; port: number; proxy: TcpProxy; process: BridgeProcess}[] = [];

function storeCluster(action: 'start' | 'stop'): void {
  const env = {...process.env, MM_INSTANCE: instanceEnv().MM_INSTANCE, PG_PORT: String(STORE_PORT), PG_CLUSTER: 'store-pg'};
  execFileSync('bash', [path.join(repo, 'tests/mattermost/pg-control.sh'), action], {env, stdio: ['ignore', 'ignore', 'inherit']});
}

async function sql<T extends Record<string, unknown>>(db: string, text: string): Promise<T[]> {
  const c = new Client({connectionString: `postgres://postgres@127.0.0.1:${STORE_PORT}/${db}`});
  await c.connect();
  try {
    return (await c.query<T>(text)).rows;
  } finally {
    await c.end();
  }
}

const holder = async () => (await sql<{holder: string}>(DB, "SELECT holder FROM hc_lease WHERE name = 'leader' AND expires_at > now()"))[0]?.holder ?? null;
const goroutineThreshold = (n: number) => mm.admin.put('/config/patch', {ServiceSettings: {GoroutineHealthThreshold: n}});
type Attachment = {actions?: {id: string}[]};
const buttonIds = (post: MmPost) => ((post.props?.attachments as Attachment[] | undefined)?.[0]?.actions ?? []).map((a) => a.id);

async function postsSince(since: number): Promise<MmPost[]> {
  const list = await mm.admin.get<MmPostList>(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/posts`, {query: {since}});
  return Object.values(list.posts).filter((p) => p.user_id === mm.env.MM_BOT_USER_ID && p.delete_at === 0 && !(p as {original_id?: string}).original_id);
}

beforeAll(async () => {
  execFileSync('npm', ['run', 'build', '-w', 'server-bridge'], {cwd: repo, stdio: 'ignore'});
  storeCluster('start');
  threshold = (await mm.admin.get<{ServiceSettings: {GoroutineHealthThreshold: number}}>('/config')).ServiceSettings.GoroutineHealthThreshold;
  await sql('postgres', `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await sql('postgres', `CREATE DATABASE ${DB}`);
});

afterAll(async () => {
  await goroutineThreshold(threshold);
  for (const r of running.splice(0)) {
    await stopChild(r.process.child, 'SIGKILL');
    await r.proxy.close();
  }
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
      const proxy = await startTcpProxy({port: Number(new URL(mm.url).port)});
      const port = await freePort();
      const process_ = spawnBridge({
        PATH: process.env.PATH,
        HEALTHCHECK_CONFIG_FILE: path.join(dir, 'bridge.json'),
        HEALTHCHECK_MM_URL: proxy.url,
        HEALTHCHECK_TEAMS: mm.env.MM_TEAM,
        HEALTHCHECK_BOT_TOKEN: mm.env.MM_BOT_TOKEN,
        HEALTHCHECK_OPS_CHANNEL: mm.env.MM_OPS_CHANNEL,
        HEALTHCHECK_LOG_CHANNEL: mm.env.MM_LOG_CHANNEL,
        HEALTHCHECK_LISTEN: `127.0.0.1:${port}`,
        HEALTHCHECK_PUBLIC_URL: frontProxy.url,
        HEALTHCHECK_ACTION_SECRET: 'ha-slo-e2e-one-secret-for-both-bridges-of-this-test',
        HEALTHCHECK_STORE: `postgres://postgres@127.0.0.1:${STORE_PORT}/${DB}`,
        HEALTHCHECK_INSTANCE: name,
        HEALTHCHECK_LEASE: '3s',
        HEALTHCHECK_VOTE_WINDOW: '12s',
        HEALTHCHECK_PROBES: 'ping',
        HEALTHCHECK_PING_INTERVAL: '1s',
        HEALTHCHECK_PING_TIMEOUT: '900ms',
        HEALTHCHECK_JITTER: '0',
        HEALTHCHECK_HEARTBEAT: '1h',
        HEALTHCHECK_LOG_LEVEL: 'info',
      });
      running.push({name, port, proxy, process: process_});
    }
    await waitFor('a leader', () => holder(), 60_000);
    // Healthy runs in the windows first, then a real failure that burns the budget.
    await sleep(12_000);
    const since = Date.now();
    await goroutineThreshold(10);
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
    expect(await sql(DB, "SELECT id FROM hc_requests WHERE kind = 'slo_ack' AND applied_at IS NOT NULL")).toHaveLength(1);
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
    await goroutineThreshold(threshold);
    await frontProxy.close();
  }
}, 240_000);
