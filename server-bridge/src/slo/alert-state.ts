// What the burn-rate alerts keep across restarts and takeovers: the open and recently resolved
// alerts and the last monthly report. It rides in the store's change sets (a meta row), so an
// alert is saved in the same write as the outbox item of its root, before the root is sent.
import * as z from 'zod';
import type {SloAlertsState} from './burn-alerts';

export type SloState = SloAlertsState & {lastMonthlyReport: string | null};

const alertSchema = z.object({
  id: z.string(),
  slo: z.string(),
  rule: z.enum(['fast', 'slow', 'ticket']),
  severity: z.enum(['page', 'ticket']),
  openedAt: z.number(),
  resolvedAt: z.number().nullable(),
  rootDeliveryId: z.string(),
  peakBurn: z.number(),
  lastFiringAt: z.number().optional(),
  ack: z.object({by: z.string(), at: z.number()}).optional(),
});

/** The state as stored (the store's meta row; the side file older bridges wrote had the same fields and a version). */
export const sloStateSchema = z.object({open: z.array(alertSchema), resolved: z.array(alertSchema), lastMonthlyReport: z.string().nullable()});

/** The side file bridges before the store kept it wrote beside the state file (read once, never written). */
export const legacySloFileSchema = sloStateSchema.extend({version: z.literal(1)});

export const emptySloState = (): SloState => ({open: [], resolved: [], lastMonthlyReport: null});

/**
 * The SLO state between its service and the store: the service sets it (the store is told a change
 * is waiting), the store snapshots it in every change set, and a takeover replaces it with what the
 * store holds (the service is told, and continues the previous leader's alerts).
 */
export class SloStateSlot {
  private state: SloState | null;
  private listener: ((state: SloState) => void) | null = null;

  constructor(
    initial: SloState | null,
    private readonly store: {changed(): void; durable(): Promise<void>} = {changed: () => undefined, durable: async () => undefined},
  ) {
    this.state = initial;
  }

  /** The state to store; null while nothing was ever set or stored (no row is written then). */
  get current(): SloState | null {
    return this.state;
  }

  /** Written with the store's next change set (at the latest when the outbox is about to send). */
  set(state: SloState): void {
    this.state = state;
    this.store.changed();
  }

  /** Resolves once what was set is in the store. */
  durable(): Promise<void> {
    return this.store.durable();
  }

  /** What the store holds now (a new leader's reload; a follower's refresh). */
  replace(state: SloState | null): void {
    this.state = state;
    this.listener?.(state ?? emptySloState());
  }

  onReplace(listener: (state: SloState) => void): void {
    this.listener = listener;
  }
}
