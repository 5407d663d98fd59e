// Websocket events update the posts first, then reach the plugins' handlers; a throwing handler is contained.
import {createHostStore} from './store';
import {dispatchEvent, parseMessage} from './websocket';

describe('websocket events', () => {
  it('ignores what is not an event', () => {
    expect(parseMessage('{"seq_reply":1,"status":"OK"}')).toBeNull();
    expect(parseMessage('not json')).toBeNull();
  });

  it('adds a posted post, then calls every plugin handler of the event', () => {
    const {store} = createHostStore();
    const seen: string[] = [];
    store.dispatch({type: 'RECEIVED_PLUGIN_WEBSOCKET_HANDLER', data: {pluginId: 'a', event: 'posted', handler: () => seen.push(String(store.getState().entities.posts.posts.p1?.message))}});
    store.dispatch({
      type: 'RECEIVED_PLUGIN_WEBSOCKET_HANDLER',
      data: {
        pluginId: 'b',
        event: 'posted',
        handler: () => {
          throw new Error('boom');
        },
      },
    });
    const post = {id: 'p1', channel_id: 'c', user_id: 'u', message: 'hello', create_at: 1, update_at: 1, root_id: '', type: '', props: {}};
    store.dispatch({type: 'RECEIVED_PROFILES_LIST', data: [{id: 'u', username: 'u', roles: ''}]});
    const msg = parseMessage(JSON.stringify({event: 'posted', data: {post: JSON.stringify(post)}, broadcast: {channel_id: 'c'}, seq: 3}));
    dispatchEvent(store, msg as NonNullable<typeof msg>);
    expect(seen).toEqual(['hello']);
    expect(store.getState().preview.errors).toEqual(['plugin b websocket handler for posted threw: boom']);
  });
});
