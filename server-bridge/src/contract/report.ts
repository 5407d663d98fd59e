// The report post: what the bridge posts to the log channel and the webapp reads. Defined once,
// with zod/mini so the webapp bundle stays small; pinned by tests/fixtures/report.*.json.
import * as z from 'zod/mini';

export const REPORT_POST_TYPE = 'custom_healthcheck_report';
export const REPORT_PROP = 'healthcheck_report';
export const REPORT_SCHEMA = 'healthcheck.report/v1';

const nonNegative = () => z.number().check(z.minimum(0));
const epochMs = nonNegative;

export const checkSchema = z.object({
  label: z.string(),
  ok: z.boolean(),
  observed: z.string(),
  expected: z.string(),
});

export const probeStateSchema = z.enum(['ok', 'degraded', 'failing', 'unknown', 'not_configured']);

export const probeReportSchema = z.object({
  probe: z.string(),
  target: z.string(),
  state: probeStateSchema,
  /** When the current state began (ms since epoch). */
  since: z.nullable(epochMs()),
  ok: z.boolean(),
  durationMs: z.nullable(nonNegative()),
  startedAt: z.nullable(epochMs()),
  checks: z.array(checkSchema),
  error: z.optional(z.string()),
  /** Rolling 24 h aggregates; null when there was no run. */
  uptime24h: z.nullable(z.number().check(z.minimum(0), z.maximum(1))),
  p50Ms: z.nullable(nonNegative()),
  p95Ms: z.nullable(nonNegative()),
  runs24h: nonNegative(),
  failures24h: nonNegative(),
  lastFailureAt: z.nullable(epochMs()),
  lastFailureReason: z.optional(z.string()),
  /** Time the bridge watched in the last 24 h (the uptime is over this only). */
  observed24hMs: z.optional(nonNegative()),
  /** The last 7 days from the hourly rollups: uptime over the time observed, and that time. */
  uptime7d: z.optional(z.nullable(z.number().check(z.minimum(0), z.maximum(1)))),
  observed7dMs: z.optional(nonNegative()),
});

export const seriesSchema = z.object({
  /** Start of the first bucket and the width of each bucket (ms). */
  start: epochMs(),
  bucketMs: z.number().check(z.minimum(1)),
  probes: z.array(
    z.object({
      probe: z.string(),
      target: z.string(),
      /** Per bucket: p95 latency of successful runs (null when none), and failed runs. */
      p95Ms: z.array(z.nullable(nonNegative())),
      failures: z.array(nonNegative()),
      runs: z.array(nonNegative()),
    }),
  ),
});

export const incidentSummarySchema = z.object({
  id: z.string(),
  target: z.string(),
  probes: z.array(z.string()),
  openedAt: epochMs(),
  resolvedAt: z.nullable(epochMs()),
  /** The incident's root post in the ops channel, once delivered. */
  postId: z.nullable(z.string()),
  channelId: z.nullable(z.string()),
});

export const reportTargetSchema = z.object({
  name: z.string(),
  /** Only when the bridge's admin chose to publish target URLs. */
  url: z.optional(z.string()),
  serverVersion: z.nullable(z.string()),
});

/** Per service users feel, its hours for 90 days (hourStrip.ts encodes them): the status page's daily bars. */
export const stripsSchema = z.object({
  /** Start of the first hour (a whole hour, ms). */
  start: epochMs(),
  hours: nonNegative(),
  services: z.array(z.object({key: z.string(), hours: z.string().check(z.maxLength(20_000))})),
});

export const sloReportSchema = z.object({
  name: z.string(),
  kind: z.enum(['availability', 'latency']),
  objective: z.number().check(z.minimum(0), z.maximum(1)),
  windowMs: nonNegative(),
  thresholdMs: z.nullable(nonNegative()),
  attained: z.nullable(z.number()),
  budgetLeft: z.nullable(z.number()),
  observedMs: nonNegative(),
  /** Burn rates over burnWindows, in that order (null: no runs in it). */
  burnWindows: z.array(z.string()),
  burn: z.array(z.nullable(z.number())),
  /** Budget left over the rolling window at moments up to now, for the chart. */
  budget: z.array(z.object({at: epochMs(), left: z.nullable(z.number())})).check(z.maxLength(60)),
  alert: z.nullable(z.enum(['page', 'ticket'])),
});

export const reportSchema = z.object({
  schema: z.literal(REPORT_SCHEMA),
  id: z.string(),
  generatedAt: epochMs(),
  reason: z.enum(['startup', 'heartbeat', 'state_change', 'run']),
  heartbeatIntervalMs: z.number().check(z.minimum(1)),
  bridgeVersion: z.string(),
  overall: z.enum(['ok', 'degraded', 'failing', 'unknown']),
  mutedUntil: z.nullable(epochMs()),
  targets: z.array(reportTargetSchema),
  probes: z.array(probeReportSchema),
  series: seriesSchema,
  incidents: z.array(incidentSummarySchema),
  /** Service level objectives (bridges from issue 24 on). */
  slos: z.optional(z.array(sloReportSchema).check(z.maxLength(50))),
  strips: z.optional(stripsSchema),
  /** Several bridges: each one and when it last reported; silent: past the vote window (a dead-man per bridge). */
  bridges: z.optional(z.array(z.object({instance: z.string().check(z.maxLength(64)), lastSeenAt: epochMs(), leader: z.boolean(), silent: z.boolean()})).check(z.maxLength(20))),
});

export type Check = z.infer<typeof checkSchema>;
export type ProbeState = z.infer<typeof probeStateSchema>;
export type ProbeReport = z.infer<typeof probeReportSchema>;
export type Series = z.infer<typeof seriesSchema>;
export type IncidentSummary = z.infer<typeof incidentSummarySchema>;
export type Report = z.infer<typeof reportSchema>;
export type SloReport = z.infer<typeof sloReportSchema>;
export type Strips = z.infer<typeof stripsSchema>;
