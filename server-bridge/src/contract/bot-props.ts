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

/** The text of a user's custom status ('' when it has none or it is not JSON). */
export function customStatusText(user: UserLike): string {
  try {
    const raw = user.props?.[BOT_PROPS.customStatus];
    const status = (typeof raw === 'string' ? JSON.parse(raw) : raw) as {text?: unknown} | null;
    return typeof status?.text === 'string' ? status.text : '';
  } catch {
    // Not ours, or not JSON: nothing named.
    return '';
  }
}
