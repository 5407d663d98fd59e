// The bot user's props the bridge and every client read (trust.ts says who may write each). Kept
// apart and free of imports: the webapp's entry chunk reads a bot's status with only this.

/** Keys of the bot user's props. */
export const BOT_PROPS = {
  trust: 'healthcheck_trust_post',
  /** Where Mattermost keeps a user's custom status (a JSON string). */
  customStatus: 'customStatus',
  /** The admins' own words for the degraded-service notice (set by setup with an admin token). */
  noticeText: 'healthcheck_notice_text',
} as const;

export interface UserLike {
  id: string;
  roles?: string;
  is_bot?: boolean;
  delete_at?: number;
  props?: Record<string, unknown> | null;
}

function customStatus(user: UserLike): {text?: unknown; expires_at?: unknown} | null {
  try {
    const raw = user.props?.[BOT_PROPS.customStatus];
    return (typeof raw === 'string' ? JSON.parse(raw) : raw) as {text?: unknown} | null;
  } catch {
    // Not ours, or not JSON: nothing named.
    return null;
  }
}

/** The text of a user's custom status ('' when it has none or it is not JSON). */
export function customStatusText(user: UserLike): string {
  const text = customStatus(user)?.text;
  return typeof text === 'string' ? text : '';
}

/** When a user's custom status expires (epoch ms), or null when it does not. */
export function customStatusExpiry(user: UserLike): number | null {
  const at = customStatus(user)?.expires_at;
  const ms = typeof at === 'string' ? Date.parse(at) : NaN;
  // Mattermost writes the zero time ("0001-01-01T00:00:00Z") for a status that never expires.
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}
