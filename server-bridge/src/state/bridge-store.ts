// The store behind the bridge's durable state: a small async interface (load; apply a change set in
// one transaction) that the state file implements and a database can implement next, without the
// incident manager or the outbox knowing which. State is rows in tables, keyed; a change set holds
// the rows written and removed since the last one applied, so the change that caused an alert and
// the alert's outbox row are applied together or not at all.
import {RESOLVED_KEPT, type IncidentsState} from '../incidents/incidents';
import type {OutboxItem, OutboxState} from '../outbox/types';
import type {LedgerState} from '../report/ledger';
import type {SloState} from '../slo/alert-state';
import type {LoadedParts} from './bridge-state';

export const TABLES = ['trackers', 'incidents', 'mutes', 'outbox', 'delivered', 'reports', 'meta'] as const;
export type Table = (typeof TABLES)[number];

/** Rows by table, each keyed (an incident by its id, an outbox item by its delivery id, a tracker by target and probe). */
export type Rows = Record<Table, Map<string, unknown>>;

/** What changed since the last change set applied: rows to write (whole) and keys to remove, per table. */
export type ChangeSet = Partial<Record<Table, {upsert: Record<string, unknown>; remove: string[]}>>;

export interface BridgeStore {
  /** Where it keeps the state, for the log (a file's path, a database's name). */
  readonly where: string;
  load(): Promise<LoadedParts>;
  /** Applies every row of the change set at once, durably (written and synced, or committed), or rejects with none of it. */
  apply(changes: ChangeSet): Promise<void>;
  close(): Promise<void>;
}

/** What the bridge keeps: the parts, as the incident manager, the outbox and the report ledger snapshot them. */
export interface DurableParts {
  incidents: IncidentsState;
  outbox: OutboxState;
  reports: LedgerState;
  /** The burn-rate alerts and the last monthly report (absent until the objectives first set them). */
  slo?: SloState;
}

type OutboxRow = OutboxItem & {where: 'pending' | 'parked'};

export function emptyRows(): Rows {
  return Object.fromEntries(TABLES.map((t) => [t, new Map()])) as Rows;
}

export function rowsOf(p: Partial<DurableParts>): Rows {
  const rows = emptyRows();
  const inc = p.incidents;
  for (const t of inc?.trackers ?? []) rows.trackers.set(`${t.target}\u0000${t.probe}`, t);
  for (const i of [...(inc?.open ?? []), ...(inc?.resolved ?? [])]) rows.incidents.set(i.id, i);
  for (const m of inc?.mutes ?? []) rows.mutes.set(m.id, m);
  for (const i of p.outbox?.pending ?? []) rows.outbox.set(i.deliveryId, {...i, where: 'pending'} satisfies OutboxRow);
  for (const i of p.outbox?.parked ?? []) rows.outbox.set(i.deliveryId, {...i, where: 'parked'} satisfies OutboxRow);
  for (const d of p.outbox?.delivered ?? []) rows.delivered.set(d.deliveryId, d);
  for (const r of p.reports?.posts ?? []) rows.reports.set(r.id, r);
  rows.meta.set('outbox', {writeAhead: p.outbox?.writeAhead === true});
  if (p.reports) rows.meta.set('reports', {adopted: p.reports.adopted});
  // One row: alerts are few (one open per SLO, 20 resolved kept), and written with the outbox row of their post.
  if (p.slo) rows.meta.set('slo', p.slo);
  return rows;
}

const values = <T>(m: Map<string, unknown>) => [...m.values()] as T[];

export function partsOf(rows: Rows): DurableParts {
  const incidents = values<IncidentsState['open'][number]>(rows.incidents);
  const outbox = values<OutboxRow>(rows.outbox).sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
  const strip = ({where: _where, ...item}: OutboxRow): OutboxItem => item;
  const reportsMeta = rows.meta.get('reports') as {adopted: boolean} | undefined;
  const slo = rows.meta.get('slo') as SloState | undefined;
  return {
    incidents: {
      trackers: values(rows.trackers),
      open: incidents.filter((i) => i.resolvedAt === null),
      resolved: incidents
        .filter((i) => i.resolvedAt !== null)
        .sort((a, b) => (a.resolvedAt ?? 0) - (b.resolvedAt ?? 0))
        .slice(-RESOLVED_KEPT),
      mutes: values(rows.mutes),
    },
    outbox: {
      pending: outbox.filter((i) => i.where === 'pending').map(strip),
      parked: outbox.filter((i) => i.where === 'parked').map(strip),
      delivered: values(rows.delivered),
      writeAhead: (rows.meta.get('outbox') as {writeAhead?: boolean} | undefined)?.writeAhead === true,
    },
    reports: {adopted: reportsMeta?.adopted ?? false, posts: values(rows.reports)},
    ...(slo ? {slo} : {}),
  };
}

/** Rows as text, to tell what changed (one JSON text per row). */
export type RowTexts = Record<Table, Map<string, string>>;

export function textsOf(rows: Rows): RowTexts {
  return Object.fromEntries(TABLES.map((t) => [t, new Map([...rows[t]].map(([k, v]) => [k, JSON.stringify(v)]))])) as RowTexts;
}

/** The change set that turns `before` into `after`; null when nothing changed. */
export function diffRows(before: RowTexts, after: RowTexts, rows: Rows): ChangeSet | null {
  const changes: ChangeSet = {};
  let any = false;
  for (const t of TABLES) {
    const upsert: Record<string, unknown> = {};
    const remove: string[] = [];
    for (const [k, text] of after[t]) if (before[t].get(k) !== text) upsert[k] = rows[t].get(k);
    for (const k of before[t].keys()) if (!after[t].has(k)) remove.push(k);
    if (Object.keys(upsert).length === 0 && remove.length === 0) continue;
    changes[t] = {upsert, remove};
    any = true;
  }
  return any ? changes : null;
}

/** Applies a change set to rows in memory (the file store's mirror; a test's store). */
export function applyTo(rows: Rows, changes: ChangeSet): void {
  for (const t of TABLES) {
    const c = changes[t];
    if (!c) continue;
    for (const k of c.remove) rows[t].delete(k);
    for (const [k, v] of Object.entries(c.upsert)) rows[t].set(k, v);
  }
}
