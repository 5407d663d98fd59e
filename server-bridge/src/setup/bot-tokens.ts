// The bot's access tokens that setup creates: each is described with when and for which secrets
// folder it was made, so an admin can tell them apart and revoke the ones no bridge uses.
import {AdminClient} from '../mm/admin-client';
import {isStatus} from '../mm/client';
import type {MmUserAccessToken} from '../mm/types';

export const TOKEN_DESCRIPTION = 'mattermost-healthcheck bridge';

export function tokenDescription(now: Date, secretsDir?: string): string {
  return `${TOKEN_DESCRIPTION} (setup ${now.toISOString().slice(0, 16)}Z${secretsDir ? `, ${secretsDir}` : ''})`;
}

export async function activeTokens(admin: AdminClient, botId: string): Promise<MmUserAccessToken[]> {
  const tokens = await admin.getUserAccessTokensForUser(botId, 0, 200);
  return tokens.filter((t) => t.is_active !== false);
}

export async function tokenBelongsTo(url: string, token: string, userId: string): Promise<boolean> {
  try {
    const me = await new AdminClient(url, token).getMe();
    return me.id === userId;
  } catch (err) {
    if (isStatus(err, 401) || isStatus(err, 403)) return false;
    throw err;
  }
}

export async function createToken(admin: AdminClient, botId: string, description: string): Promise<MmUserAccessToken & {token: string}> {
  const created = await admin.createUserAccessToken(botId, description);
  if (!created.token) throw new Error('Mattermost did not return the new bot token');
  return {...created, token: created.token};
}

/** Revokes only tokens of this bot; an id of anyone else's token is refused. */
export async function revokeTokens(admin: AdminClient, botId: string, ids: readonly string[]): Promise<string[]> {
  const own = new Set((await activeTokens(admin, botId)).map((t) => t.id));
  const unknown = ids.filter((id) => !own.has(id));
  if (unknown.length > 0) throw new Error(`not an active token of the bot: ${unknown.join(', ')}`);
  for (const id of ids) await admin.revokeUserAccessToken(id);
  return ids.map((id) => `revoked the bot's access token with id ${id}`);
}
