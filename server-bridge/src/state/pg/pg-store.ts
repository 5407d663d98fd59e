// The bridge's state in PostgreSQL (HEALTHCHECK_STORE), for several bridges sharing one voice: the
// same rows as the state file, in tables of their own, every change set one transaction, and every
// write the leader makes conditioned on its lease's epoch (fencing): a leader that lost its lease
// (paused past it, cut from the database) cannot write, so it cannot record an attempt, so it cannot
// send. node-postgres is loaded only when the store is configured.
import type {Pool, PoolClient} from 'pg';
import type {OutboxLog} from '../../outbox/types';
import {sloStateSchema} from '../../slo/alert-state';
import type {LoadedParts} from '../bridge-state';
import {emptyRows, partsOf, TABLES, type BridgeStore, type ChangeSet, type Table} from '../bridge-store';
import {MIGRATION_LOCK, MIGRATIONS} from './migrations';

/** The lease this bridge writes under: its name and the epoch it holds (null: it holds none). */
export type Fence = () => {holder: string; epoch: number} | null;

export class FencedError extends Error {
  constructor(why: string) {
    super(`not the leader: ${why}`);
    this.name = 'FencedError';
  }
}

export interface PgStoreOptions {
  url: string;
  log: OutboxLog;
  /** Writes of the shared state are the leader's: each checks this lease in its transaction. */
  fence?: Fence;
  poolMax?: number;
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

/** A tracker's key holds a NUL between target and probe, which PostgreSQL text cannot. */
const pgKey = (table: Table, key: string) => (table === 'trackers' ? key.replace('\u0000', '\u001e') : key);
const memKey = (table: Table, key: string) => (table === 'trackers' ? key.replace('\u001e', '\u0000') : key);

const KEY_COLUMN: Record<Table, string> = {
  trackers: 'key',
  incidents: 'id',
  mutes: 'id',
  outbox: 'delivery_id',
  delivered: 'delivery_id',
  reports: 'post_id',
  meta: 'key',
};

/** The thread post an outbox delivery id names: <incident>:root, :ack, :resolved or :reminder:<n>. */
export function incidentPostOf(deliveryId: string): {incidentId: string; kind: string; sequence: number} | null {
  const m = /^(inc_.+):(root|ack|resolved|reminder)(?::(\d+))?$/.exec(deliveryId);
  if (!m) return null;
  return {incidentId: m[1] as string, kind: m[2] as string, sequence: m[3] ? Number(m[3]) : 0};
}

/** The URL with its password left out, for the log. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = u.password ? '***' : '';
    return u.toString();
  } catch {
    return 'postgres (unparsable URL)';
  }
}

export class PgStore implements BridgeStore {
  readonly pool: Pool;

  constructor(private readonly o: PgStoreOptions) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pg = require('pg') as typeof import('pg');
    // bigint columns hold milliseconds: safe as numbers.
    pg.types.setTypeParser(20, (v: string) => Number(v));
    this.pool = new pg.Pool({
      connectionString: o.url,
      max: o.poolMax ?? 4,
      connectionTimeoutMillis: o.connectTimeoutMs ?? 5_000,
      statement_timeout: o.statementTimeoutMs ?? 10_000,
      idleTimeoutMillis: 30_000,
      application_name: 'mattermost-healthcheck-bridge',
    });
    // A connection that drops while idle is replaced on the next query; it must not crash the process.
    this.pool.on('error', (err) => o.log.warn('store: a PostgreSQL connection failed', {error: err.message}));
  }

  get where(): string {
    return safeUrl(this.o.url);
  }

  /** Applies the migrations this database lacks, one bridge at a time; returns the versions applied now. */
  async migrate(): Promise<number[]> {
    return this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await c.query('CREATE TABLE IF NOT EXISTS hc_schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = new Set((await c.query<{version: number}>('SELECT version FROM hc_schema_migrations')).rows.map((r) => r.version));
      const newest = Math.max(...MIGRATIONS.map((m) => m.version));
      const ahead = [...done].filter((v) => v > newest);
      if (ahead.length) this.o.log.warn('store: the database has migrations newer than this bridge knows (a newer bridge ran here)', {versions: ahead});
      const applied: number[] = [];
      for (const m of MIGRATIONS) {
        if (done.has(m.version)) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO hc_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        applied.push(m.version);
      }
      return applied;
    });
  }

  async load(): Promise<LoadedParts> {
    const rows = emptyRows();
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      for (const table of TABLES) {
        const order = table === 'outbox' ? ' ORDER BY seq' : table === 'reports' ? ' ORDER BY at' : '';
        const select =
          table === 'outbox'
            ? `SELECT delivery_id AS key, row || jsonb_build_object('where', state) AS row FROM hc_outbox`
            : table === 'reports'
              ? `SELECT post_id AS key, jsonb_build_object('id', post_id, 'at', at) AS row FROM hc_reports`
              : `SELECT ${KEY_COLUMN[table]} AS key, row FROM hc_${table}`;
        for (const r of (await c.query<{key: string; row: unknown}>(select + order)).rows) rows[table].set(memKey(table, r.key), r.row);
      }
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
    const {incidents, outbox, reports, slo} = partsOf(rows);
    if (slo === undefined) return {incidents, outbox, reports};
    const checked = sloStateSchema.safeParse(slo);
    if (checked.success) return {incidents, outbox, reports, slo: checked.data};
    // Written by this code only, so a bug or a hand edit: the alerts start empty, the rest is used.
    this.o.log.error('store: the SLO alerts row could not be used; open SLO alerts are forgotten', {issues: checked.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`)});
    return {incidents, outbox, reports};
  }

  async apply(changes: ChangeSet): Promise<void> {
    await this.transaction(async (c) => {
      await this.checkFence(c);
      for (const table of TABLES) {
        const change = changes[table];
        if (!change) continue;
        if (change.remove.length) await this.remove(c, table, change.remove);
        // A closed incident is written before one opened on its target (one open per target).
        const upserts = Object.entries(change.upsert).sort(([, a], [, b]) => (table === 'incidents' ? Number(isOpen(a)) - Number(isOpen(b)) : 0));
        for (const [key, row] of upserts) await this.upsert(c, table, key, row);
      }
    });
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  /** One acknowledgement, by whichever bridge the button or command reached: true when it is the first. */
  async acknowledge(incidentId: string, by: string, at: number): Promise<boolean> {
    const r = await this.pool.query('INSERT INTO hc_acks (incident_id, by_user, at) VALUES ($1, $2, $3) ON CONFLICT (incident_id) DO NOTHING', [incidentId, by, at]);
    return r.rowCount === 1;
  }

  /** A signed request's id, seen by any bridge: true the first time (expired ones are swept as it goes). */
  async firstUse(id: string, until: number): Promise<boolean> {
    await this.pool.query('DELETE FROM hc_replays WHERE expires_at < $1', [Date.now()]);
    const r = await this.pool.query('INSERT INTO hc_replays (id, expires_at) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [id, until]);
    return r.rowCount === 1;
  }

  /** Acknowledgements of open incidents (the leader applies those its incidents lack). */
  async acks(): Promise<{incidentId: string; by: string; at: number}[]> {
    const r = await this.pool.query<{incident_id: string; by_user: string; at: number}>(
      'SELECT a.incident_id, a.by_user, a.at FROM hc_acks a JOIN hc_incidents i ON i.id = a.incident_id WHERE i.open',
    );
    return r.rows.map((x) => ({incidentId: x.incident_id, by: x.by_user, at: x.at}));
  }

  private async checkFence(c: PoolClient): Promise<void> {
    const mine = this.o.fence?.();
    if (this.o.fence === undefined) return;
    if (!mine) throw new FencedError('this bridge holds no lease');
    // FOR SHARE: the lease cannot change hands while this transaction writes.
    const r = await c.query<{holder: string | null; epoch: number; live: boolean}>("SELECT holder, epoch, expires_at > now() AS live FROM hc_lease WHERE name = 'leader' FOR SHARE");
    const lease = r.rows[0];
    if (!lease || lease.holder !== mine.holder || Number(lease.epoch) !== mine.epoch || !lease.live) {
      throw new FencedError(`the lease is ${lease?.holder ?? 'nobody'}'s at epoch ${lease?.epoch ?? 0}${lease?.live ? '' : ' (expired)'}, not ${mine.holder}'s at ${mine.epoch}`);
    }
  }

  private async remove(c: PoolClient, table: Table, keys: string[]): Promise<void> {
    const ids = keys.map((k) => pgKey(table, k));
    if (table === 'incidents') await c.query('DELETE FROM hc_incident_posts WHERE incident_id = ANY($1)', [ids]);
    await c.query(`DELETE FROM hc_${table} WHERE ${KEY_COLUMN[table]} = ANY($1)`, [ids]);
  }

  private async upsert(c: PoolClient, table: Table, key: string, value: unknown): Promise<void> {
    const k = pgKey(table, key);
    const row = value as Record<string, unknown>;
    const json = JSON.stringify(value);
    switch (table) {
      case 'incidents':
        await c.query(
          `INSERT INTO hc_incidents (id, target, open, opened_at, resolved_at, row) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
           ON CONFLICT (id) DO UPDATE SET target = EXCLUDED.target, open = EXCLUDED.open, opened_at = EXCLUDED.opened_at, resolved_at = EXCLUDED.resolved_at, row = EXCLUDED.row`,
          [k, row.target, isOpen(row), row.openedAt, row.resolvedAt ?? null, json],
        );
        return;
      case 'trackers':
        await c.query('INSERT INTO hc_trackers (key, probe, target, row) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (key) DO UPDATE SET row = EXCLUDED.row', [k, row.probe, row.target, json]);
        return;
      case 'mutes':
        await c.query('INSERT INTO hc_mutes (id, until_at, row) VALUES ($1, $2, $3::jsonb) ON CONFLICT (id) DO UPDATE SET until_at = EXCLUDED.until_at, row = EXCLUDED.row', [k, row.until, json]);
        return;
      case 'outbox': {
        const {where, ...item} = row as {where: string} & Record<string, unknown>;
        await c.query(
          `INSERT INTO hc_outbox (delivery_id, seq, state, attempts, row) VALUES ($1, $2, $3, $4, $5::jsonb)
           ON CONFLICT (delivery_id) DO UPDATE SET seq = EXCLUDED.seq, state = EXCLUDED.state, attempts = EXCLUDED.attempts, row = EXCLUDED.row`,
          [k, item.seq ?? 0, where, item.attempts ?? 0, JSON.stringify(item)],
        );
        // The thread's posts are unique per incident, kind and sequence: a second delivery for one would fail this write.
        const post = incidentPostOf(k);
        if (post)
          await c.query('INSERT INTO hc_incident_posts (incident_id, kind, sequence, delivery_id) SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM hc_incident_posts WHERE delivery_id = $4)', [
            post.incidentId,
            post.kind,
            post.sequence,
            k,
          ]);
        return;
      }
      case 'delivered':
        await c.query(
          'INSERT INTO hc_delivered (delivery_id, post_id, channel_id, row) VALUES ($1, $2, $3, $4::jsonb) ON CONFLICT (delivery_id) DO UPDATE SET post_id = EXCLUDED.post_id, row = EXCLUDED.row',
          [k, row.postId, row.channelId, json],
        );
        return;
      case 'reports':
        await c.query('INSERT INTO hc_reports (post_id, at) VALUES ($1, $2) ON CONFLICT (post_id) DO NOTHING', [k, row.at]);
        return;
      case 'meta':
        await c.query('INSERT INTO hc_meta (key, row) VALUES ($1, $2::jsonb) ON CONFLICT (key) DO UPDATE SET row = EXCLUDED.row', [k, json]);
        return;
    }
  }

  private async transaction<T>(work: (c: PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await work(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }
}

function isOpen(row: unknown): boolean {
  return (row as {resolvedAt?: number | null}).resolvedAt === null;
}
