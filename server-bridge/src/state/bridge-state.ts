// What the bridge keeps across restarts, and how each part is checked when read back: a part that
// fails its check is left out with a reason (the file is copied aside), the other parts are used.
import * as z from 'zod';
import type {IncidentsState} from '../incidents/incidents';
import type {OutboxState} from '../outbox/types';
import type {LedgerState} from '../report/ledger';
import type {HistorySnapshot} from '../results/history';
import {sloStateSchema, type SloState} from '../slo/alert-state';
import {copyAside, readState} from './state-file';

export interface BridgeState {
  version: 1;
  savedAt: number;
  incidents: IncidentsState;
  outbox: OutboxState;
  /** The report posts made, for retention. */
  reports?: LedgerState;
  /** The burn-rate alerts (files of older bridges have none: theirs were in a side file). */
  slo?: SloState;
}

/** Files written before the history had a file of its own carry it here (read, never written). */
export type LegacyResults = HistorySnapshot;

const num = z.number();
const nullableNum = z.number().nullable();
const check = z.looseObject({label: z.string(), ok: z.boolean(), observed: z.string(), expected: z.string()});
const probeResult = z.looseObject({probe: z.string(), target: z.string(), ok: z.boolean(), durationMs: num, startedAt: num, checks: z.array(check)});
const tracker = z.object({
  probe: z.string(),
  target: z.string(),
  state: z.enum(['unknown', 'ok', 'degraded', 'failing']),
  since: nullableNum,
  // Written only when set (older files carry them all).
  consecutiveFailures: num.optional(),
  consecutiveSuccesses: num.optional(),
  failingSince: nullableNum.optional(),
  lastResult: probeResult.nullable().optional(),
  lastFailure: probeResult.nullable().optional(),
  recent: z.array(z.looseObject({at: num, ok: z.boolean(), durationMs: num})).optional(),
});
const incident = z.looseObject({
  id: z.string(),
  target: z.string(),
  probes: z.array(z.string()),
  openedAt: num,
  resolvedAt: nullableNum,
  rootDeliveryId: z.string().nullable(),
  remindersSent: num,
  lastReminderAt: nullableNum,
});
const mute = z.object({id: z.string(), probe: z.string().nullable(), from: num, until: num, by: z.string(), where: z.string().nullable().optional()});
const item = z.looseObject({
  deliveryId: z.string(),
  op: z.enum(['create', 'patch']),
  lane: z.enum(['alert', 'report']).optional(),
  channelId: z.string(),
  message: z.string(),
  props: z.record(z.string(), z.unknown()),
  happenedAt: num,
  attempts: num,
  nextAttemptAt: num,
});
const delivered = z.object({deliveryId: z.string(), postId: z.string(), channelId: z.string(), at: num, rev: num.optional()});

/** Each part on its own, so one bad part does not cost the others. */
export const PARTS = {
  incidents: z.object({trackers: z.array(tracker), open: z.array(incident), resolved: z.array(incident), mutes: z.array(mute)}),
  outbox: z.object({pending: z.array(item), delivered: z.array(delivered), parked: z.array(item).optional(), writeAhead: z.boolean().optional()}),
  reports: z.object({adopted: z.boolean(), posts: z.array(z.object({id: z.string(), at: num}))}).optional(),
  slo: sloStateSchema.optional(),
  results: z
    .object({
      entries: z.array(
        z.looseObject({
          probe: z.string(),
          target: z.string(),
          latest: probeResult,
          lastFailure: z.object({at: num, reason: z.string()}).nullable(),
          samples: z.array(z.object({at: num, ok: z.boolean(), durationMs: num})),
        }),
      ),
    })
    .optional(),
};

const envelope = z.looseObject({version: z.literal(1), savedAt: num});

export interface LoadedParts {
  incidents?: IncidentsState;
  outbox?: OutboxState;
  reports?: LedgerState;
  slo?: SloState;
  results?: LegacyResults;
}

export type BridgeStateLoad =
  | {status: 'missing'}
  /** The file as a whole could not be used: moved aside. */
  | {status: 'corrupt'; reason: string; movedTo: string | null}
  /** problems: the parts left out and why; copiedTo: the original kept for the operator when some were. */
  | {status: 'loaded'; parts: LoadedParts; problems: string[]; copiedTo: string | null};

export function loadBridgeState(file: string, now: () => number = Date.now): BridgeStateLoad {
  const whole = readState(file, envelope, now);
  if (whole.status !== 'loaded') return whole;
  const data = whole.state as Record<string, unknown>;
  const parts: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(PARTS)) {
    const parsed = (schema as z.ZodType).safeParse(data[name]);
    if (parsed.success) {
      if (parsed.data !== undefined) parts[name] = parsed.data;
      continue;
    }
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${[name, ...i.path.map(String)].join('.')}: ${i.message}`)
      .join('; ');
    problems.push(`${name}: ${where}`);
  }
  return {status: 'loaded', parts: parts as LoadedParts, problems, copiedTo: problems.length > 0 ? copyAside(file, now) : null};
}

export function bridgeStateText(state: BridgeState): string {
  return `${JSON.stringify(state)}\n`;
}
