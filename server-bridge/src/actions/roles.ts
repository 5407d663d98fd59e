// Who may press which button, read from the server for the clicking user_id: system admins, or
// members of the ops channel (system admins count as members) while it is private: anyone in the
// team can join a public channel, so there membership proves nothing and only admins may act.
import type {ACTION_ROLES} from '../config/schema';
import type {MattermostClient} from '../mm/client';
import {MattermostApiError} from '../mm/errors';
import type {MmChannel, MmUser} from '../mm/types';

export type ActionRole = (typeof ACTION_ROLES)[number];

export interface Clicker {
  username: string;
  admin: boolean;
}

const ID = /^[a-z0-9]{26}$/;

export interface RoleReader {
  user(userId: string): Promise<Clicker | null>;
  inOpsChannel(userId: string): Promise<boolean>;
  /** True when the ops channel is private (type P): only then does its membership count. */
  opsChannelPrivate(): Promise<boolean>;
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
    async opsChannelPrivate() {
      const channel = await bot.get<MmChannel>(`/channels/${await opsChannelId()}`, {signal: AbortSignal.timeout(timeoutMs)});
      return channel.type === 'P';
    },
  };
}

/** 'public': the role is ops_channel but the ops channel is public, so only admins may act. */
export async function hasRole(reader: RoleReader, clicker: Clicker, userId: string, role: ActionRole): Promise<true | false | 'public'> {
  if (clicker.admin) return true;
  if (role !== 'ops_channel') return false;
  if (!(await reader.opsChannelPrivate())) return 'public';
  return reader.inOpsChannel(userId);
}

export const roleWords: Record<ActionRole, string> = {system_admin: 'system admins', ops_channel: 'members of the ops channel'};
