// The SLO burn-rate alert's root post in the ops channel (slo/burn-alerts.ts): what its card shows.
// Its replies (acknowledged, burn stopped) stay plain Markdown. Defined once, read by the webapp.
import * as z from 'zod/mini';

// Mattermost keeps a post's type in 26 characters at most (a longer one: 500 "Unable to save the Post").
export const SLO_ALERT_POST_TYPE = 'custom_healthcheck_slo';
export const SLO_ALERT_PROP = 'healthcheck_slo_alert';
export const SLO_ALERT_SCHEMA = 'healthcheck.slo_alert/v1';

const epochMs = () => z.number().check(z.minimum(0));
const share = () => z.number().check(z.minimum(0), z.maximum(1));

export const sloAlertSchema = z.object({
  schema: z.literal(SLO_ALERT_SCHEMA),
  alertId: z.string(),
  /** The objective's name from the bridge's configuration. */
  slo: z.string(),
  /** null (and no probes) only on a root closed because its objective is no longer configured. */
  kind: z.nullable(z.enum(['availability', 'latency'])),
  probes: z.array(z.string()),
  /** page: the budget burns fast (fast or slow rule); ticket: the 3-day rule. */
  severity: z.enum(['page', 'ticket']),
  state: z.enum(['open', 'resolved']),
  objective: z.nullable(share()),
  windowMs: z.nullable(epochMs()),
  /** The firing rule's long-window burn rate now (null: no run in it), its threshold and the window's length. */
  burnRate: z.nullable(z.number()),
  burnWindowMs: z.nullable(epochMs()),
  threshold: z.number(),
  peakBurn: z.number(),
  /** 1 untouched, 0 spent, below 0 overspent; null when nothing was observed. */
  budgetLeft: z.nullable(z.number()),
  openedAt: epochMs(),
  resolvedAt: z.nullable(epochMs()),
  /** Why it was closed without the burn stopping (its objective is no longer configured). */
  closedNote: z.optional(z.string()),
  /** Who acknowledged it (a username from the server) and when. */
  ack: z.optional(z.object({by: z.string(), at: epochMs()})),
});

export type SloAlertData = z.infer<typeof sloAlertSchema>;
