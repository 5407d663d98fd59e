// The notice's lazy root: reads the bot once per page load (GET /users/username/{bot}, shared with
// the other parts through the resolver's cache), then follows the bot's user_updated events. An event
// that changes only the report id (or the expiry) renders again at most: never a request.
import {BOT_PROPS, customStatusExpiry, customStatusText, type UserLike} from '@contract-trust';
import {useEffect, useState} from 'react';
import {DEFAULT_BOT_USERNAME} from '../api/bot_username';
import {useServices} from '../host/services';
import NoticeBar from './notice_bar';

/** What of the bot matters to the notice: its segment of the status, the admins' words, the status's expiry. */
const keyOf = (user: UserLike) => `${/· (notice [^·]+) ·/.exec(customStatusText(user))?.[1] ?? ''}\n${String(user.props?.[BOT_PROPS.noticeText] ?? '')}\n${customStatusExpiry(user) ?? ''}`;

export default function NoticeRoot() {
  const {resolver, users} = useServices();
  const [bot, setBot] = useState<UserLike | null>(null);
  useEffect(() => {
    let live = true;
    let botId: string | null = null;
    let key = '';
    const show = (user: UserLike) => {
      const next = keyOf(user);
      if (!live || next === key) return;
      key = next;
      setBot(next.startsWith('notice') ? user : null);
    };
    // Only admins can read the plugin's settings: every user knows the bot by its default name.
    resolver.botUser(DEFAULT_BOT_USERNAME).then(
      (user) => {
        botId = user?.id ?? null;
        if (user) show(user);
      },
      () => undefined,
    );
    const off = users.subscribe((user) => {
      if (botId && user && typeof user === 'object' && (user as UserLike).id === botId) show(user as UserLike);
    });
    return () => {
      live = false;
      off();
    };
  }, [resolver, users]);
  return bot ? <NoticeBar bot={bot} /> : null;
}
