import {DELIVERY_ID_PROP} from '../contract';
import {MattermostClient} from '../mm/client';
import {DuplicateSweep} from './duplicate-sweep';
import {BOT_ID, CH, stubServer} from './testing/stub-server';

describe('the sweep for double posts', () => {
  it('counts each post beyond the first with one delivery id once, and only the bot posts', async () => {
    const stub = await stubServer();
    try {
      const bot = new MattermostClient({url: stub.url, token: 'bottoken'});
      const post = (id: string, deliveryId: string, user = BOT_ID) =>
        stub.posts.push({
          id: id.padEnd(26, '0'),
          channel_id: CH,
          user_id: user,
          root_id: '',
          message: 'm',
          props: {[DELIVERY_ID_PROP]: deliveryId},
          delete_at: 0,
          create_at: Date.now(),
          update_at: Date.now(),
        });
      post('a', 'inc:root');
      post('b', 'inc:root');
      post('c', 'other');
      post('d', 'other', 'someoneelse000000000000000');
      const seen: string[] = [];
      const sweep = new DuplicateSweep({
        bot,
        botUserId: async () => BOT_ID,
        channels: async () => [CH],
        onDuplicate: (id, posts) => seen.push(`${id}:${posts.length}`),
        log: {info: () => undefined, warn: () => undefined, error: () => undefined},
      });
      expect([...(await sweep.sweep()).keys()]).toEqual(['inc:root']);
      await sweep.sweep();
      expect(seen).toEqual(['inc:root:2']);
      post('e', 'inc:root');
      await sweep.sweep();
      expect(seen).toEqual(['inc:root:2', 'inc:root:3']);
    } finally {
      await stub.close();
    }
  });
});
