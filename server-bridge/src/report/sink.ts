// The PostSink seam: how report posts leave the bridge (the running bridge queues them in the
// incident service's idempotent outbox, behind its alerts).

export interface OutgoingPost {
  channelId: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
}

export interface PostSink {
  /** Resolves with the post id once Mattermost has it, or null when it was queued for later. */
  send(post: OutgoingPost, signal?: AbortSignal): Promise<{id: string} | null>;
}
