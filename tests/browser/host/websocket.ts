// The host page's websocket to the real server (cookie session, like the web app): keeps the post
// store current and calls the handlers plugins registered, after the web app's own handling.
import {ensureProfiles} from './session';
import type {HostStore} from './store';
import type {Post, WebSocketMessage} from './types';

const POST_EVENTS: Record<string, string> = {
  posted: 'RECEIVED_NEW_POST',
  ephemeral_message: 'RECEIVED_NEW_POST',
  post_edited: 'RECEIVED_POST',
  post_deleted: 'POST_DELETED',
};

export function parseMessage(raw: string): WebSocketMessage | null {
  try {
    const msg = JSON.parse(raw) as Partial<WebSocketMessage>;
    if (typeof msg.event !== 'string') return null;
    return {event: msg.event, data: msg.data ?? {}, broadcast: msg.broadcast ?? {}, seq: msg.seq};
  } catch {
    return null;
  }
}

export function dispatchEvent(store: HostStore, msg: WebSocketMessage): void {
  const actionType = POST_EVENTS[msg.event];
  if (actionType && typeof msg.data.post === 'string') {
    let post: Post | null = null;
    try {
      post = JSON.parse(msg.data.post) as Post;
    } catch {
      store.dispatch({type: 'PREVIEW_ERROR', data: `websocket ${msg.event}: the post is not JSON`});
    }
    if (post) {
      store.dispatch({type: actionType, data: post});
      ensureProfiles(store, [post.user_id]).catch(() => undefined);
    }
  }
  for (const [pluginId, handlers] of Object.entries(store.getState().plugins.websocketHandlers)) {
    const handler = handlers[msg.event];
    if (!handler) continue;
    try {
      handler(msg);
    } catch (err) {
      store.dispatch({type: 'PREVIEW_ERROR', data: `plugin ${pluginId} websocket handler for ${msg.event} threw: ${err instanceof Error ? err.message : String(err)}`});
    }
  }
}

export function connectWebSocket(store: HostStore): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let retryMs = 1000;
  let connectedBefore = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const status = (data: string) => store.dispatch({type: 'PREVIEW_WEBSOCKET', data});

  const open = () => {
    const url = `${window.location.origin.replace(/^http/, 'ws')}/api/v4/websocket`;
    status('connecting');
    socket = new WebSocket(url);
    socket.onmessage = (ev) => {
      const msg = parseMessage(String(ev.data));
      if (!msg) return;
      if (msg.event === 'hello') {
        status('connected');
        retryMs = 1000;
        if (connectedBefore) for (const handler of Object.values(store.getState().plugins.reconnectHandlers)) handler();
        connectedBefore = true;
      }
      dispatchEvent(store, msg);
    };
    socket.onclose = () => {
      status('closed');
      if (stopped) return;
      timer = setTimeout(open, retryMs);
      retryMs = Math.min(retryMs * 2, 10000);
    };
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    socket?.close();
  };
}
