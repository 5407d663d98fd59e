// The bridge signs the data each card shows (a report's or an alert's prop) with a key whose
// public half is in the admin's trust declaration (trust.ts): anyone who may edit others' posts
// can patch a bot post's props, and Mattermost marks a post edited only when its message changes.
// ECDSA P-256 with SHA-256, the signature as r‖s (IEEE P1363, what WebCrypto verifies), base64,
// over the canonical JSON of {schema, type, data}: keys sorted at every level, as Go's encoder
// writes props back, so what the server stores and returns verifies whatever order it keeps.
// No zod and no Node here: the webapp's cards chunk reads this.
import {ALERT_POST_TYPE, ALERT_PROP} from './alert';
import {REPORT_POST_TYPE, REPORT_PROP} from './report';
import {SLO_ALERT_POST_TYPE, SLO_ALERT_PROP} from './slo-alert';

export const SIGNATURE_PROP = 'healthcheck_signature';
export const SIGNATURE_SCHEMA = 'healthcheck.sig/v1';

/** The prop of each signed post type that holds what its card shows. */
export const SIGNED_PROPS: Readonly<Record<string, string>> = {[REPORT_POST_TYPE]: REPORT_PROP, [ALERT_POST_TYPE]: ALERT_PROP, [SLO_ALERT_POST_TYPE]: SLO_ALERT_PROP};

/** JSON with every object's keys sorted, no whitespace; undefined members left out as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The text signed for a post of `type` whose card shows `data`. */
export function signedText(type: string, data: unknown): string {
  return canonicalJson({schema: SIGNATURE_SCHEMA, type, data});
}

/** What a post's signature must cover and the signature it carries; null when its type is not signed. */
export function signaturePartsOf(post: {type?: string; props?: Record<string, unknown> | null}): {text: string; signature: string | null} | null {
  const prop = post.type ? SIGNED_PROPS[post.type] : undefined;
  if (!prop || !post.type) return null;
  const signature = post.props?.[SIGNATURE_PROP];
  return {text: signedText(post.type, post.props?.[prop]), signature: typeof signature === 'string' && signature.length <= 200 ? signature : null};
}
