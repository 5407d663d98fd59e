// The one contract between bridge and webapp: post types, prop keys, schemas and the trust rule.
import {ALERT_POST_TYPE, ALERT_PROP, alertSchema, type Alert} from './alert';
import {REPORT_POST_TYPE, REPORT_PROP, reportSchema, type Report} from './report';
import {SLO_ALERT_POST_TYPE, SLO_ALERT_PROP, sloAlertSchema, type SloAlertData} from './slo-alert';

export * from './alert';
export * from './slo-alert';
export * from './report';
export * from './notice';
export * from './trust';
export * from './signature';

/** Props key of the idempotency id the outbox writes into every post it delivers. */
export const DELIVERY_ID_PROP = 'healthcheck_delivery_id';
/** The revision of a bot post's content (an incident's root and its edits): an edit never sends an older one. */
export const DELIVERY_REV_PROP = 'healthcheck_delivery_rev';

export interface PostLike {
  user_id: string;
  type?: string;
  props?: Record<string, unknown> | null;
}

export type Parsed<T> = {ok: true; value: T} | {ok: false; reason: 'untrusted_author' | 'wrong_type' | 'invalid_props'; detail?: string};

function parseFrom<T>(
  post: PostLike,
  botUserId: string | null | undefined,
  type: string,
  prop: string,
  schema: {safeParse(x: unknown): {success: true; data: T} | {success: false; error: {issues: readonly {path: readonly PropertyKey[]; message: string}[]}}},
): Parsed<T> {
  // Anyone can post a custom_* post with any props: only the configured bot's posts are trusted.
  if (!botUserId || post.user_id !== botUserId) return {ok: false, reason: 'untrusted_author'};
  if (post.type !== type) return {ok: false, reason: 'wrong_type'};
  const result = schema.safeParse(post.props?.[prop]);
  if (!result.success) {
    const detail = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    return {ok: false, reason: 'invalid_props', detail};
  }
  return {ok: true, value: result.data};
}

export function parseReportPost(post: PostLike, botUserId: string | null | undefined): Parsed<Report> {
  return parseFrom(post, botUserId, REPORT_POST_TYPE, REPORT_PROP, reportSchema);
}

export function parseAlertPost(post: PostLike, botUserId: string | null | undefined): Parsed<Alert> {
  return parseFrom(post, botUserId, ALERT_POST_TYPE, ALERT_PROP, alertSchema);
}

export function parseSloAlertPost(post: PostLike, botUserId: string | null | undefined): Parsed<SloAlertData> {
  return parseFrom(post, botUserId, SLO_ALERT_POST_TYPE, SLO_ALERT_PROP, sloAlertSchema);
}

/** The status page strips (hour-strip.ts): read by the webapp. */
export {decodeStrip, type StripHour} from './hour-strip';
