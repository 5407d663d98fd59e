// The newest trusted report post in the log channel, from one page of posts (no paging through history).
import {parseReportPost, type Report} from '@contract';
import type {Post, PostList} from '@mattermost/types/posts';
import type {HostPost} from '../host/types';
import type {Http} from './http';

export const REPORT_PAGE_SIZE = 30;

export interface LatestReport {
  postId: string;
  createAt: number;
  report: Report;
}

/** One page of posts as the server answers it; a page may lack either part. */
type PostPage = Partial<Pick<PostList, 'order'>> & {posts?: Record<string, HostPost & Partial<Pick<Post, 'delete_at'>>>};

/** A trusted report from one post, or null: untrusted or malformed posts are skipped, never read. */
export function reportFromPost(post: HostPost, botUserId: string): LatestReport | null {
  const parsed = parseReportPost(post, botUserId);
  return parsed.ok ? {postId: post.id, createAt: post.create_at, report: parsed.value} : null;
}

export async function fetchLatestReport(http: Http, channelId: string, botUserId: string): Promise<LatestReport | null> {
  const list = (await http.get<PostPage>(`/channels/${encodeURIComponent(channelId)}/posts`, {per_page: String(REPORT_PAGE_SIZE)})).data;
  for (const id of list.order ?? []) {
    const post = list.posts?.[id];
    if (!post || post.delete_at) continue;
    const found = reportFromPost(post, botUserId);
    if (found) return found;
  }
  return null;
}
