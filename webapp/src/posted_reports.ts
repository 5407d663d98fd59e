// A tiny publish/subscribe of websocket events: report posts, so open panels update live; users
// updated, so the notice follows the bot's status.
import type {HostPost, WebSocketMessage} from './host/types';
import {REPORT_POST_TYPE} from './post_types';

/** A report post, or null after a websocket reconnect: events may have been missed, read again. */
export type ReportListener = (post: HostPost | null) => void;

export interface Emitter<T> {
  subscribe(listener: (value: T) => void): () => void;
  emit(value: T): void;
}

export type PostedReports = Emitter<HostPost | null>;

export function createEmitter<T>(): Emitter<T> {
  const listeners = new Set<(value: T) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(value) {
      for (const listener of [...listeners]) listener(value);
    },
  };
}

export const createPostedReports = (): PostedReports => createEmitter();

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
