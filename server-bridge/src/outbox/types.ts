// What waits in the outbox and what it remembers, shared by its parts (queue, look-up, revisions).

export type Lane = 'alert' | 'report';

export interface OutboxItem {
  deliveryId: string;
  op: 'create' | 'patch';
  /** alert (default): in order, first; report: only the newest pending one is kept. */
  lane?: Lane;
  channelId: string;
  /** create: reply in the thread of this delivery; patch: the delivery to patch. */
  rootDeliveryId?: string;
  message: string;
  type?: string;
  props: Record<string, unknown>;
  /** When the thing the post tells of happened (not when it is delivered). */
  happenedAt: number;
  /** When it entered the outbox: the age bound counts from here, and an earlier delivery is younger. */
  enqueuedAt?: number;
  /** Its place in the outbox's order (kept across restarts). */
  seq?: number;
  /** The revision of the post's content it carries (a root and its edits); an edit never sends an older one. */
  rev?: number;
  attempts: number;
  nextAttemptAt: number;
  /** A patch waits until then for newer content of the same post (one edit per burst). */
  holdUntil?: number;
  lastError?: string;
  /** An attempt was recorded (written before its request): it may be stored, so look it up before sending. */
  maybeSent?: boolean;
  /** The last attempt got no answer at all: a sign of life from the server may retry it early, once. */
  kickable?: boolean;
}

export interface DeliveredRecord {
  deliveryId: string;
  postId: string;
  channelId: string;
  at: number;
  /** The newest revision of its content known to be on the server. */
  rev?: number;
}

export interface OutboxState {
  pending: OutboxItem[];
  delivered: DeliveredRecord[];
  /** Posts Mattermost refused (401/403/404), set aside and tried again later. */
  parked?: OutboxItem[];
  /** Written by a bridge that records each attempt before it (write-ahead): without it every waiting post is looked up. */
  writeAhead?: boolean;
}

export type NewItem = Pick<OutboxItem, 'op' | 'channelId' | 'rootDeliveryId' | 'message' | 'type' | 'props' | 'happenedAt' | 'lane'> & {deliveryId?: string};

/** refused: invalid (400/413/422); age, count: over the bounds; superseded: a newer report or edit took its place; thread: its root was dropped. */
export type DropReason = 'refused' | 'age' | 'count' | 'superseded' | 'thread';

export interface OutboxLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const silentLog: OutboxLog = {info: () => undefined, warn: () => undefined, error: () => undefined};

export const laneOf = (i: Pick<OutboxItem, 'lane'>): Lane => i.lane ?? 'alert';

/** The thread an item belongs to: its root's delivery id (a reply or an edit), or its own (a root). */
export const threadOf = (i: Pick<OutboxItem, 'deliveryId' | 'rootDeliveryId'>): string => i.rootDeliveryId ?? i.deliveryId;
