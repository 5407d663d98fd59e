// The host store: posts per channel, newest first, as the web app keeps them.
import {createHostStore} from './store';
import type {Post} from './types';

const post = (id: string, createAt: number, channel = 'c1'): Post => ({
  id,
  create_at: createAt,
  update_at: createAt,
  edit_at: 0,
  delete_at: 0,
  is_pinned: false,
  user_id: 'u',
  channel_id: channel,
  root_id: '',
  original_id: '',
  message: id,
  type: '',
  props: {},
  hashtags: '',
  pending_post_id: '',
  reply_count: 0,
  metadata: {embeds: [], emojis: [], files: [], images: {}},
});

describe('posts', () => {
  it('orders a channel newest first and adds live posts', () => {
    const {store} = createHostStore();
    store.dispatch({type: 'RECEIVED_POSTS', data: {order: ['b', 'a'], posts: {a: post('a', 1), b: post('b', 2)}}});
    store.dispatch({type: 'RECEIVED_NEW_POST', data: post('c', 3)});
    store.dispatch({type: 'RECEIVED_NEW_POST', data: post('x', 4, 'c2')});
    expect(store.getState().entities.posts.postsInChannel.c1?.[0]?.order).toEqual(['c', 'b', 'a']);
  });

  it('replaces an edited post and drops a deleted one', () => {
    const {store} = createHostStore();
    store.dispatch({type: 'RECEIVED_NEW_POST', data: post('a', 1)});
    store.dispatch({type: 'RECEIVED_POST', data: {...post('a', 1), message: 'edited'}});
    expect(store.getState().entities.posts.posts.a?.message).toBe('edited');
    store.dispatch({type: 'POST_DELETED', data: post('a', 1)});
    expect(store.getState().entities.posts.posts.a).toBeUndefined();
    expect(store.getState().entities.posts.postsInChannel.c1?.[0]?.order).toEqual([]);
  });

  it('runs thunks as the web app store does', () => {
    const {store} = createHostStore();
    const result = store.dispatch(((dispatch: (a: unknown) => void) => {
      dispatch({type: 'SELECT_CHANNEL', data: 'c9'});
      return 'done';
    }) as never);
    expect(result).toBe('done');
    expect(store.getState().entities.channels.currentChannelId).toBe('c9');
  });

  it("changes only the current user's language", () => {
    const {store} = createHostStore();
    store.dispatch({type: 'RECEIVED_ME', data: {id: 'me', username: 'me', roles: 'system_user', locale: 'en'}});
    store.dispatch({type: 'PREVIEW_SET_LOCALE', data: 'nl'});
    expect(store.getState().entities.users.profiles.me?.locale).toBe('nl');
  });
});
