// Who may press which button, read from the server for the clicking user_id: system admins, or
// members of the ops channel (system admins count as members).
import type {ACTION_ROLES} from '../config/schema';
import type {MattermostClient} from '../mm/client';
import {MattermostApiError} from '../mm/errors';
import type {MmUser} from '../mm/types';

export type ActionRole = (typeof ACTION_ROLES)[number];

export interface Clicker {
  username: string;
  admin: boolean;
}

const ID = /^[a-z0-9]{26}$/;

export interface RoleReader {
  user(userId: string): Promise<Clicker | null>;
  inOpsChannel(userId: string): Promise<boolean>;
}

export function serverRoles(bot: MattermostClient, opsChannelId: () => Promise<string>, timeoutMs = 5000): RoleReader {
  return {
    async user(userId) {
      if (!ID.test(userId)) return null;
      const user = await bot.get<MmUser>(`/users/${userId}`, {signal: AbortSignal.timeout(timeoutMs)});
      if (user.delete_at !== 0) return null;
      return {username: user.username, admin: user.roles.split(' ').includes('system_admin')};
    },
    async inOpsChannel(userId) {
      if (!ID.test(userId)) return false;
      try {
        await bot.get(`/channels/${await opsChannelId()}/members/${userId}`, {signal: AbortSignal.timeout(timeoutMs)});
        return true;
      } catch (err) {
        if (err instanceof MattermostApiError && (err.status === 404 || err.status === 403)) return false;
        throw err;
      }
    },
  };
}

export async function hasRole(reader: RoleReader, clicker: Clicker, userId: string, role: ActionRole): Promise<boolean> {
  if (clicker.admin) return true;
  return role === 'ops_channel' ? reader.inOpsChannel(userId) : false;
}

export const roleWords: Record<ActionRole, string> = {system_admin: 'system admins', ops_channel: 'members of the ops channel'};
