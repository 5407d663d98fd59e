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

/** The bots that declarations pinned in the channel name, newest first; each still to be checked. */
export async function pinnedCandidates(get: GetOrNull, channelId: string): Promise<string[]> {
  const list = await get<PostListBody>(`/channels/${encodeURIComponent(channelId)}/pinned`);
  return Object.values(list?.posts ?? {})
    .filter((p) => p.type === TRUST_POST_TYPE && !p.delete_at)
    .sort((a, b) => (b.create_at ?? 0) - (a.create_at ?? 0))
    .flatMap((p) => declarationOf(p.props)?.botUserId ?? []);
}
