// The PostgreSQL store and the leader's lease against a real PostgreSQL (the test cluster's, a
// database of their own): migrations when several bridges start at once, change sets as one
// transaction, one open incident per target, fencing by the lease's epoch, takeover after expiry,
// each bridge's own result history, the burn-rate alerts' state in the change sets.
import {Client} from 'pg';
import {burningHistory, sloBridge} from '../../server-bridge/src/bridge/testing/slo-bridge';
import {ResultHistory} from '../../server-bridge/src/results/history';
import {Lease} from '../../server-bridge/src/state/pg/lease';
import {PgHistory} from '../../server-bridge/src/state/pg/pg-history';
import {MIGRATIONS} from '../../server-bridge/src/state/pg/migrations';
import {FencedError, PgStore} from '../../server-bridge/src/state/pg/pg-store';
import type {ChangeSet} from '../../server-bridge/src/state/bridge-store';
import {StateStore} from '../../server-bridge/src/state/store';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const {instanceEnv} = require('../lib/instance') as {instanceEnv(): Record<string, string>};

const PORT = instanceEnv().PG_PORT;
const DB = 'hc_store_test';
const URL = `postgres://mmhc:mmhc@127.0.0.1:${PORT}/${DB}`;
const quiet = {info: () => undefined, warn: () => undefined, error: () => undefined};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freshDatabase(): Promise<void> {
  const admin = new Client({connectionString: `postgres://postgres@127.0.0.1:${PORT}/postgres`});
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DB} OWNER mmhc`);
  } finally {
    await admin.end();
  }
}

const incident = (id: string, target: string, resolvedAt: number | null = null) => ({
  id,
  target,
  probes: ['ping'],
  openedAt: 1,
  resolvedAt,
  rootDeliveryId: `${id}:root`,
  remindersSent: 0,
  lastReminderAt: null,
});
const rootItem = (id: string) => ({deliveryId: `${id}:root`, op: 'create', channelId: 'c', message: 'm', props: {}, happenedAt: 1, attempts: 1, nextAttemptAt: 1, seq: 1, where: 'pending'});

describe('the PostgreSQL store', () => {
  const stores: PgStore[] = [];
  const leases: Lease[] = [];
  const store = (fence?: ConstructorParameters<typeof PgStore>[0]['fence']) => {
    const s = new PgStore({url: URL, log: quiet, ...(fence ? {fence} : {})});
    stores.push(s);
    return s;
  };
  beforeEach(freshDatabase);
  afterEach(async () => {
    for (const l of leases.splice(0)) await l.stop(false);
    for (const s of stores.splice(0)) await s.close();
  });

  it('migrates once when three bridges start at once on an empty database', async () => {
    const applied = await Promise.all([store().migrate(), store().migrate(), store().migrate()]);
    expect(applied.flat()).toEqual([1, 2]);
    const versions = await stores[0]?.pool.query('SELECT version FROM hc_schema_migrations ORDER BY version');
    expect(versions?.rows).toEqual([{version: 1}, {version: 2}]);
    expect(await store().migrate()).toEqual([]);
  });

  it('applies a change set in one transaction and reads it back; one open incident per target', async () => {
    const s = store();
    await s.migrate();
    const change: ChangeSet = {incidents: {upsert: {inc_a_1: incident('inc_a_1', 'a')}, remove: []}, outbox: {upsert: {'inc_a_1:root': rootItem('inc_a_1')}, remove: []}};
    await s.apply(change);
    const loaded = await s.load();
    expect(loaded.incidents?.open.map((i) => i.id)).toEqual(['inc_a_1']);
    expect(loaded.outbox?.pending.map((i) => i.deliveryId)).toEqual(['inc_a_1:root']);
    const posts = await s.pool.query('SELECT incident_id, kind, sequence FROM hc_incident_posts');
    expect(posts.rows).toEqual([{incident_id: 'inc_a_1', kind: 'root', sequence: 0}]);
    // A second open incident on the same target breaks the rule: nothing of that change set is written.
    await expect(s.apply({incidents: {upsert: {inc_a_2: incident('inc_a_2', 'a')}, remove: []}, outbox: {upsert: {'inc_a_2:root': rootItem('inc_a_2')}, remove: []}})).rejects.toThrow(
      /hc_incidents_one_open/,
    );
    expect((await s.load()).outbox?.pending.map((i) => i.deliveryId)).toEqual(['inc_a_1:root']);
    // Closing one and opening the next on that target in one change set works in either order given.
    await s.apply({incidents: {upsert: {inc_a_2: incident('inc_a_2', 'a'), inc_a_1: incident('inc_a_1', 'a', 5)}, remove: []}});
    expect((await s.load()).incidents?.open.map((i) => i.id)).toEqual(['inc_a_2']);
  });

  it('fences writes by the lease: only the holder of the current epoch writes; a paused leader is replaced and refused', async () => {
    await store().migrate();
    let clockA = 0;
    const a = new Lease({pool: stores[0]!.pool, instance: 'a', leaseMs: 2_000, marginMs: 500, log: quiet, monotonic: () => performance.now() + clockA});
    const b = new Lease({pool: stores[0]!.pool, instance: 'b', leaseMs: 2_000, marginMs: 500, log: quiet});
    leases.push(a, b);
    await a.tick();
    await b.tick();
    expect([a.canSend(), b.canSend(), a.epoch]).toEqual([true, false, 1]);
    const storeA = store(() => a.fence());
    const storeB = store(() => b.fence());
    await storeA.apply({meta: {upsert: {k: {by: 'a'}}, remove: []}});
    await expect(storeB.apply({meta: {upsert: {k: {by: 'b'}}, remove: []}})).rejects.toBeInstanceOf(FencedError);
    // a is paused past its lease (no renewal): by its own clock it stops sending before the lease ends.
    clockA = 1_600;
    expect(a.canSend()).toBe(false);
    await expect(storeA.apply({meta: {upsert: {k: {by: 'a, late'}}, remove: []}})).rejects.toBeInstanceOf(FencedError);
    await sleep(2_100);
    await b.tick();
    expect([b.canSend(), b.epoch]).toEqual([true, 2]);
    await storeB.apply({meta: {upsert: {k: {by: 'b'}}, remove: []}});
    // a resumes: its next try finds the lease taken; even with a fresh clock its epoch is stale.
    clockA = 0;
    await a.tick();
    expect(a.canSend()).toBe(false);
    const meta = await stores[0]!.pool.query("SELECT row FROM hc_meta WHERE key = 'k'");
    expect(meta.rows[0]?.row).toEqual({by: 'b'});
  });

  it('a leader that stops cleanly gives the lease up: the next bridge takes it at its next try', async () => {
    await store().migrate();
    const a = new Lease({pool: stores[0]!.pool, instance: 'a', leaseMs: 30_000, log: quiet});
    const b = new Lease({pool: stores[0]!.pool, instance: 'b', leaseMs: 30_000, log: quiet});
    leases.push(b);
    await a.tick();
    expect(a.canSend()).toBe(true);
    await a.stop(true);
    await b.tick();
    expect([b.canSend(), b.epoch]).toEqual([true, 2]);
  });

  it('an acknowledgement is one conditional insert, whichever bridge makes it', async () => {
    const s = store();
    await s.migrate();
    await s.apply({incidents: {upsert: {inc_a_1: incident('inc_a_1', 'a')}, remove: []}});
    expect(await s.acknowledge('inc_a_1', 'alice', 1)).toBe(true);
    expect(await store().acknowledge('inc_a_1', 'bob', 2)).toBe(false);
    expect(await s.acks()).toEqual([{incidentId: 'inc_a_1', by: 'alice', at: 1}]);
  });

  it("keeps each bridge's own result history in its row: saved, read back by a new store with the same runs and rollups, the other bridge's row untouched", async () => {
    await store().migrate();
    const now = Date.now();
    const history = (seed: number) => {
      const h = new ResultHistory();
      for (let at = now - 50 * 3_600_000; at < now; at += 300_000)
        h.record({probe: 'login', target: 'mm', ok: (Math.floor(at / 300_000) + seed) % 5 !== 0, durationMs: 10 + seed, startedAt: at, checks: []});
      return h;
    };
    const bridge = (instance: string, h: ResultHistory) => {
      const s = store();
      return new StateStore({store: s, build: () => ({}) as never, history: h, historyStore: new PgHistory(s.pool, instance), log: quiet, now: () => now});
    };
    const a = history(1);
    const b = history(2);
    const [sa, sb] = [bridge('a', a), bridge('b', b)];
    await Promise.all([sa.load(), sb.load()]);
    await Promise.all([sa.stop(), sb.stop()]);
    const rows = await store().pool.query<{instance: string; size: number}>('SELECT instance, octet_length(bytes) AS size FROM hc_history ORDER BY instance');
    expect(rows.rows.map((r) => r.instance)).toEqual(['a', 'b']);
    const again = new ResultHistory();
    await bridge('a', again).load();
    expect(await again.encode(now)).toBe(await a.encode(now));
    expect(await again.encode(now)).not.toBe(await b.encode(now));
    expect(JSON.parse(await again.encode(now)).entries[0].rollup).toBeTruthy();
    // A damaged row: the bridge starts with an empty history and says so.
    await stores[0]!.pool.query("UPDATE hc_history SET bytes = '\\x1f8b0000' WHERE instance = 'a'");
    const warnings: string[] = [];
    const s = store();
    const empty = new ResultHistory();
    await new StateStore({store: s, build: () => ({}) as never, history: empty, historyStore: new PgHistory(s.pool, 'a'), log: {...quiet, warn: (m: string) => void warnings.push(m)}}).load();
    expect(empty.keys()).toEqual([]);
    expect(warnings.join('\n')).toMatch(/result history in the PostgreSQL store \(hc_history, instance a\) could not be used/);
  });

  it('migrates a database of version 1 to version 2, keeping its state', async () => {
    const old = store();
    await old.pool.query('CREATE TABLE hc_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const v1 = MIGRATIONS.find((m) => m.version === 1)!;
    await old.pool.query(v1.sql);
    await old.pool.query('INSERT INTO hc_schema_migrations (version, name) VALUES (1, $1)', [v1.name]);
    await old.apply({incidents: {upsert: {inc_a_1: incident('inc_a_1', 'a')}, remove: []}});
    expect(await store().migrate()).toEqual([2]);
    expect((await store().load()).incidents?.open.map((i) => i.id)).toEqual(['inc_a_1']);
    expect((await old.pool.query('SELECT count(*)::int AS n FROM hc_history')).rows).toEqual([{n: 0}]);
  });

  it('keeps an SLO alert in the change set of its root: a bridge killed right after, the next one opens no second root', async () => {
    await store().migrate();
    const now = {t: Date.now()};
    const history = burningHistory(now);
    const bridge = async () => {
      const b = await sloBridge(now, history, {store: store()});
      return {...b, roots: () => b.roots().map((i) => i.deliveryId)};
    };
    const first = await bridge();
    first.slo.tick();
    const roots = first.roots();
    expect(roots).toHaveLength(1);
    // What the outbox does before its first attempt; then the bridge is killed (nothing more written).
    await first.parts.store?.durable();
    const row = await stores[0]!.pool.query<{row: {open: {rootDeliveryId: string}[]}}>("SELECT row FROM hc_meta WHERE key = 'slo'");
    expect(row.rows[0]?.row.open.map((a) => a.rootDeliveryId)).toEqual(roots);
    now.t += 60_000;
    const next = await bridge();
    next.slo.tick();
    expect(next.roots()).toEqual(roots);
    expect(next.slo.openAlerts().map((a) => a.rootDeliveryId)).toEqual(roots);
  });
});
