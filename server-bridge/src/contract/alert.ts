// The alert post: incidents in the ops channel (root post, reminders and recovery in its thread).
// Defined once; pinned by tests/fixtures/alert.*.json.
import * as z from 'zod/mini';
import {checkSchema} from './report';

export const ALERT_POST_TYPE = 'custom_healthcheck_alert';
export const ALERT_PROP = 'healthcheck_alert';
export const ALERT_SCHEMA = 'healthcheck.alert/v1';

const epochMs = () => z.number().check(z.minimum(0));

export const failingProbeSchema = z.object({
  probe: z.string(),
  checks: z.array(checkSchema),
  error: z.optional(z.string()),
});

export const alertSchema = z.object({
  schema: z.literal(ALERT_SCHEMA),
  incidentId: z.string(),
  /** open: the root post (patched to resolved once); reminder/resolved/ack: replies in its thread; mute/unmute: announcements. */
  event: z.enum(['open', 'reminder', 'resolved', 'mute', 'unmute', 'ack']),
  state: z.enum(['open', 'resolved']),
  target: z.string(),
  probes: z.array(failingProbeSchema),
  openedAt: epochMs(),
  resolvedAt: z.nullable(epochMs()),
  durationMs: z.nullable(epochMs()),
  lastError: z.optional(z.string()),
  mutedUntil: z.optional(z.nullable(epochMs())),
  /** Who acknowledged the incident (a username from the server) and when. */
  ack: z.optional(z.object({by: z.string(), at: epochMs()})),
});

export type FailingProbe = z.infer<typeof failingProbeSchema>;
export type Alert = z.infer<typeof alertSchema>;
