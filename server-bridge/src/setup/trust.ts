// The trust declaration (contract/trust.ts): a system admin's post in the log channel naming the
// bot, pinned, and the bot's props pointing at it. Made once; a run that finds it valid changes nothing.
import {BOT_PROPS, declarationOf, trustPointer, trustPostBody, whyNotTrusted} from '../contract';
import type {AdminClient} from '../mm/admin-client';
import {isStatus} from '../mm/client';
import type {MmChannel, MmPost, MmUser} from '../mm/types';

async function postOrNull(admin: AdminClient, id: string): Promise<MmPost | null> {
  try {
    return await admin.getPost(id, true);
  } catch (err) {
    if (isStatus(err, 404) || isStatus(err, 403)) return null;
    throw err;
  }
}

/** `admin` must be a system admin's client: the declaration is trusted for having its author. */
/** `signingKey`: the public half of the bot's signing key; a declaration naming another key (or none) is replaced. */
export async function ensureTrustDeclaration(admin: AdminClient, bot: MmUser, channel: MmChannel, changes: string[], signingKey?: string): Promise<string> {
  const me = await admin.getMe();
  const current = await admin.getUser(bot.id);
  const pointer = trustPointer(current);
  if (pointer) {
    const declaration = await postOrNull(admin, pointer);
    const author = declaration ? await admin.getUser(declaration.user_id) : null;
    const sameKey = declarationOf(declaration?.props)?.signingKey === signingKey;
    if (declaration?.channel_id === channel.id && !whyNotTrusted(current, declaration, author) && sameKey) return pointer;
  }
  const body = trustPostBody({userId: bot.id, username: bot.username, ...(signingKey ? {signingKey} : {})});
  const created = await admin.createPost({channel_id: channel.id, ...body} as Parameters<AdminClient['createPost']>[0]);
  await admin.pinPost(created.id);
  // A user patch replaces all props: keep the others (the bridge's report pointer and trigger).
  await admin.patchUser({id: bot.id, props: {...(current.props ?? {}), [BOT_PROPS.trust]: created.id}});
  changes.push(`declared @${bot.username} the trusted health-check bot in ~${channel.name} (post ${created.id}, by @${me.username}${signingKey ? ', with its signing key' : ''})`);
  return created.id;
}
