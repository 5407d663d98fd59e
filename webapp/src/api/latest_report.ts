// The newest trusted report post in the log channel, from one page of posts (no paging through history).
import {parseReportPost, type Report} from '@contract';
import type {HostPost} from '../host/types';
import type {Http} from './http';

export const REPORT_PAGE_SIZE = 30;

export interface LatestReport {
  postId: string;
  createAt: number;
  report: Report;
}

interface PostList {
  order?: string[];
  posts?: Record<string, HostPost & {delete_at?: number}>;
}

/** A trusted report from one post, or null: untrusted or malformed posts are skipped, never read. */
export function reportFromPost(post: HostPost, botUserId: string): LatestReport | null {
  const parsed = parseReportPost(post, botUserId);
  return parsed.ok ? {postId: post.id, createAt: post.create_at, report: parsed.value} : null;
}

export async function fetchLatestReport(http: Http, channelId: string, botUserId: string): Promise<LatestReport | null> {
  const list = (await http.get<PostList>(`/channels/${encodeURIComponent(channelId)}/posts`, {per_page: String(REPORT_PAGE_SIZE)})).data;
  for (const id of list.order ?? []) {
    const post = list.posts?.[id];
    if (!post || post.delete_at) continue;
    const found = reportFromPost(post, botUserId);
    if (found) return found;
  }
  return null;
}
