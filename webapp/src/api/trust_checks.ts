// The trust checks of contract/trust.ts through the API, in a lazy chunk (the entry every user
// loads stays small): is this user the declared bot, and which bot does a channel's pin declare.
import {TRUST_POST_TYPE, declarationOf, trustPointer, whyNotTrusted, type TrustPostLike, type UserLike} from '@contract-trust';

/** GET that answers null for 404/403 (missing or not visible to this user). */
export type GetOrNull = <T>(path: string) => Promise<T | null>;

interface PostListBody {
  posts?: Record<string, TrustPostLike & {create_at?: number}>;
}

export async function checkTrustedBot(get: GetOrNull, userId: string): Promise<boolean> {
  if (!/^[a-z0-9]{26}$/.test(userId)) return false;
  const bot = await get<UserLike>(`/users/${userId}`);
  const pointer = bot ? trustPointer(bot) : null;
  if (!bot || !pointer) return false;
  const declaration = await get<TrustPostLike>(`/posts/${pointer}`);
  const author = declaration ? await get<UserLike>(`/users/${encodeURIComponent(declaration.user_id)}`) : null;
  return whyNotTrusted(bot, declaration, author) === null;
}

/** The newest bot that a declaration pinned in the channel names and that `trusted` accepts, or null. */
export async function pinnedBot(get: GetOrNull, channelId: string, trusted: (id: string) => Promise<boolean>): Promise<string | null> {
  const list = await get<PostListBody>(`/channels/${encodeURIComponent(channelId)}/pinned`);
  const named = Object.values(list?.posts ?? {})
    .filter((p) => p.type === TRUST_POST_TYPE && !p.delete_at)
    .sort((a, b) => (b.create_at ?? 0) - (a.create_at ?? 0))
    .flatMap((p) => declarationOf(p.props)?.botUserId ?? []);
  // Anyone can pin a look-alike: a pin only names a candidate, trusted or not by its own checks.
  for (const id of named) if (await trusted(id)) return id;
  return null;
}
