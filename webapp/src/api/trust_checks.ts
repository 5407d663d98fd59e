// The trust checks of contract/trust.ts through the API, in a lazy chunk (the entry every user
// loads stays small): is this user the declared bot (its declaration in the log channel), and which
// bot do a channel's pins declare (only when they agree: a pin is anyone's to add or remove).
import {TRUST_POST_TYPE, declarationOf, parseBotStatus, trustPointer, whyNotTrusted, type TrustPostLike, type UserLike} from '@contract-trust';

/** GET that answers null for 404/403 (missing or not visible to this user). */
export type GetOrNull = <T>(path: string) => Promise<T | null>;

interface PostListBody {
  posts?: Record<string, TrustPostLike & {create_at?: number}>;
}

export interface BotTrust {
  trusted: boolean;
  /** The public half of the key the bot signs its posts with, from its declaration; null when it names none. */
  signingKey: string | null;
}

export async function trustOf(get: GetOrNull, userId: string, logChannelName: string): Promise<BotTrust> {
  const no: BotTrust = {trusted: false, signingKey: null};
  if (!/^[a-z0-9]{26}$/.test(userId)) return no;
  const bot = await get<UserLike>(`/users/${userId}`);
  const pointer = bot ? trustPointer(bot) : null;
  if (!bot || !pointer) return no;
  const declaration = await get<TrustPostLike>(`/posts/${pointer}`);
  const author = declaration ? await get<UserLike>(`/users/${encodeURIComponent(declaration.user_id)}`) : null;
  if (whyNotTrusted(bot, declaration, author) !== null || !declaration?.channel_id) return no;
  // Declared in the log channel, nowhere else (any channel an admin posts in is not a declaration):
  // the channel of the name this user knows (the setting; non-admins know the default), or the one
  // holding the report the bot's status names (a log channel of another name, the same for everyone).
  const trusted: BotTrust = {trusted: true, signingKey: declarationOf(declaration.props)?.signingKey ?? null};
  const channel = await get<{name?: string}>(`/channels/${encodeURIComponent(declaration.channel_id)}`);
  if (channel?.name === logChannelName) return trusted;
  const reportId = parseBotStatus(bot).reportId;
  const report = reportId ? await get<{channel_id?: string}>(`/posts/${reportId}`) : null;
  return report?.channel_id === declaration.channel_id ? trusted : no;
}

export async function checkTrustedBot(get: GetOrNull, userId: string, logChannelName: string): Promise<boolean> {
  return (await trustOf(get, userId, logChannelName)).trusted;
}

/** The newest bot that a declaration pinned in the channel names and that `trusted` accepts, or null. */
export async function pinnedBot(get: GetOrNull, channelId: string, trusted: (id: string) => Promise<boolean>): Promise<string | null> {
  const list = await get<PostListBody>(`/channels/${encodeURIComponent(channelId)}/pinned`);
  const named = Object.values(list?.posts ?? {})
    .filter((p) => p.type === TRUST_POST_TYPE && !p.delete_at)
    .sort((a, b) => (b.create_at ?? 0) - (a.create_at ?? 0))
    .flatMap((p) => declarationOf(p.props)?.botUserId ?? []);
  // Anyone can pin a look-alike: a pin only names a candidate, trusted or not by its own checks. And
  // anyone can pin or unpin: pins naming two trusted bots decide nothing (no newest-wins).
  const found = new Set<string>();
  for (const id of new Set(named)) if (await trusted(id)) found.add(id);
  return found.size === 1 ? ([...found][0] as string) : null;
}
