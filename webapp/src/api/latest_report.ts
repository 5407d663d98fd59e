// The newest trusted report in the log channel: where the bot's custom status says it is (one read,
// however many posts others add to the channel), else the newest in one page of posts. With the
// bot's signing key (from its declaration), a report counts only when its signature verifies.
import {parseBotStatus, parseReportPost, type Report} from '@contract';
import type {Post, PostList} from '@mattermost/types/posts';
import type {HostPost} from '../host/types';
import {HttpError, type Http} from './http';
import {verifyPostSignature} from './signature';

export const REPORT_PAGE_SIZE = 30;

export interface LatestReport {
  postId: string;
  createAt: number;
  report: Report;
}

type StoredPost = HostPost & Partial<Pick<Post, 'delete_at'>>;

/** One page of posts as the server answers it; a page may lack either part. */
type PostPage = Partial<Pick<PostList, 'order'>> & {posts?: Record<string, StoredPost>};

/** A trusted report from one post, or null: untrusted or malformed posts are skipped, never read. */
export function reportFromPost(post: HostPost, botUserId: string): LatestReport | null {
  const parsed = parseReportPost(post, botUserId);
  return parsed.ok ? {postId: post.id, createAt: post.create_at, report: parsed.value} : null;
}

/** reportFromPost, and with a signing key only when the post's signature verifies. */
export async function verifiedReport(post: HostPost, botUserId: string, signingKey: string | null): Promise<LatestReport | null> {
  const found = reportFromPost(post, botUserId);
  return found && (signingKey === null || (await verifyPostSignature(post, signingKey))) ? found : null;
}

/** The post the bot's status names as its latest report, when it is one in this channel. */
async function fromBotProfile(http: Http, channelId: string, botUserId: string, signingKey: string | null): Promise<LatestReport | null> {
  try {
    const bot = (await http.get<{id: string; props?: Record<string, unknown>}>(`/users/${encodeURIComponent(botUserId)}`)).data;
    const id = parseBotStatus(bot).reportId;
    if (!id) return null;
    const post = (await http.get<StoredPost>(`/posts/${id}`)).data;
    return post.channel_id === channelId && !post.delete_at ? verifiedReport(post, botUserId, signingKey) : null;
  } catch (err) {
    // Deleted by retention, or not visible: the page of posts still has a say.
    if (err instanceof HttpError && (err.status === 404 || err.status === 403)) return null;
    throw err;
  }
}

export async function fetchLatestReport(http: Http, channelId: string, botUserId: string, signingKey: string | null = null): Promise<LatestReport | null> {
  const pointed = await fromBotProfile(http, channelId, botUserId, signingKey);
  if (pointed) return pointed;
  const list = (await http.get<PostPage>(`/channels/${encodeURIComponent(channelId)}/posts`, {per_page: String(REPORT_PAGE_SIZE)})).data;
  for (const id of list.order ?? []) {
    const post = list.posts?.[id];
    if (!post || post.delete_at) continue;
    const found = await verifiedReport(post, botUserId, signingKey);
    if (found) return found;
  }
  return null;
}
