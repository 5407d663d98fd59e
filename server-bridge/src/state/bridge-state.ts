// What the bridge keeps across restarts, and how it is checked when read back.
import * as z from 'zod';
import type {IncidentsState} from '../incidents/incidents';
import type {OutboxState} from '../outbox/outbox';
import {readState, writeTextAtomic, type LoadResult} from './state-file';

export interface BridgeState {
  version: 1;
  savedAt: number;
  incidents: IncidentsState;
  outbox: OutboxState;
  /** The result history's own snapshot (24 h aggregates survive a restart). */
  results?: unknown;
  /** Tokens of the registered slash commands, so requests verify while the server is away. */
  slashTokens?: string[];
}

const num = z.number();
const nullableNum = z.number().nullable();
const probeResult = z.looseObject({probe: z.string(), target: z.string(), ok: z.boolean(), durationMs: num, startedAt: num, checks: z.array(z.looseObject({label: z.string(), ok: z.boolean(), observed: z.string(), expected: z.string()}))});
const tracker = z.object({
  probe: z.string(),
  target: z.string(),
  state: z.enum(['unknown', 'ok', 'degraded', 'failing']),
  since: nullableNum,
  consecutiveFailures: num,
  consecutiveSuccesses: num,
  failingSince: nullableNum,
  lastResult: probeResult.nullable(),
  lastFailure: probeResult.nullable(),
  recent: z.array(z.looseObject({at: num, ok: z.boolean(), durationMs: num})),
});
const incident = z.looseObject({id: z.string(), target: z.string(), probes: z.array(z.string()), openedAt: num, resolvedAt: nullableNum, rootDeliveryId: z.string().nullable(), remindersSent: num, lastReminderAt: nullableNum});
const mute = z.object({id: z.string(), probe: z.string().nullable(), from: num, until: num, by: z.string()});
const item = z.looseObject({deliveryId: z.string(), op: z.enum(['create', 'patch']), channelId: z.string(), message: z.string(), props: z.record(z.string(), z.unknown()), happenedAt: num, attempts: num, nextAttemptAt: num});
const delivered = z.object({deliveryId: z.string(), postId: z.string(), channelId: z.string(), at: num});

const schema = z.looseObject({
  version: z.literal(1),
  savedAt: num,
  incidents: z.object({trackers: z.array(tracker), open: z.array(incident), resolved: z.array(incident), mutes: z.array(mute)}),
  outbox: z.object({pending: z.array(item), delivered: z.array(delivered)}),
  results: z.unknown().optional(),
  slashTokens: z.array(z.string()).optional(),
});

export function loadBridgeState(file: string): LoadResult<BridgeState> {
  // The schema checks shape and the fields the bridge relies on; the types above name them.
  return readState(file, schema) as LoadResult<BridgeState>;
}

/**
 * The results part comes already serialized: it is most of the file (~600 KB for nine probes
 * over 24 h) and is refreshed less often than the incident and outbox parts, which every save carries.
 */
export function saveBridgeState(file: string, state: Omit<BridgeState, 'results'>, resultsJson: string | null): void {
  const head = JSON.stringify(state);
  const text = resultsJson === null ? head : `${head.slice(0, -1)},"results":${resultsJson}}`;
  writeTextAtomic(file, `${text}\n`);
}
