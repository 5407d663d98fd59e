// The admins' words for the degraded-service notice live in the bot's props (contract BOT_PROPS.noticeText):
// every client loads the bot user anyway and receives it again with each user_updated event, so
// no one makes a request to read them. Only an admin may write a bot's props.
import {BOT_PROPS} from '../contract';
import type {UsersClient} from '../mm/client4-shape';

/** Sets (or, with no text, removes) the notice words; says what changed, nothing when they already match. */
export async function ensureNoticeText(admin: UsersClient, botId: string, text: string | undefined): Promise<string | null> {
  const bot = await admin.getUser(botId);
  const props = {...(bot.props ?? {})} as Record<string, unknown>;
  const current = typeof props[BOT_PROPS.noticeText] === 'string' ? (props[BOT_PROPS.noticeText] as string) : undefined;
  if ((current || undefined) === text) return null;
  if (text) props[BOT_PROPS.noticeText] = text;
  else delete props[BOT_PROPS.noticeText];
  // A user patch replaces all props: the others (trust pointer, custom status) are kept as read.
  await admin.patchUser({id: botId, props: props as Record<string, string>});
  return text ? `set the notice words of @${bot.username} (HEALTHCHECK_NOTICE_TEXT)` : `removed the notice words of @${bot.username} (the plugin's own words are used)`;
}
