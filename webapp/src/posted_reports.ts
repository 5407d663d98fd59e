// A tiny publish/subscribe of report posts arriving on the websocket, so open panels update live.
import type {HostPost, WebSocketMessage} from './host/types';
import {REPORT_POST_TYPE} from './post_types';

/** A report post, or null after a websocket reconnect: events may have been missed, read again. */
export type ReportListener = (post: HostPost | null) => void;

export interface PostedReports {
  subscribe(listener: ReportListener): () => void;
  emit(post: HostPost | null): void;
}

export function createPostedReports(): PostedReports {
  const listeners = new Set<ReportListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(post) {
      for (const listener of [...listeners]) listener(post);
    },
  };
}

/** The post of a websocket `posted` event when it is a report post; trust is checked by the reader. */
export function reportPostFromEvent(msg: WebSocketMessage): HostPost | null {
  const raw = msg.data?.post;
  if (typeof raw !== 'string') return null;
  try {
    const post = JSON.parse(raw) as Partial<HostPost> | null;
    return post && post.type === REPORT_POST_TYPE && typeof post.id === 'string' ? (post as HostPost) : null;
  } catch {
    return null;
  }
}
