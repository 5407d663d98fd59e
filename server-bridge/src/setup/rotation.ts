// After a rotation: what running bridges must be given, and where bridges are known to run (the
// URLs of their /healthcheck commands, and the probe user's sessions their login probes keep).
import type {AdminClient} from '../mm/admin-client';
import type {MmTeam, MmUser} from '../mm/types';
import {SLASH_PATH} from '../slash/route';
import type {Rotatable} from './setup';

export async function knownBridges(admin: AdminClient, teams: readonly MmTeam[]): Promise<string[]> {
  const found: string[] = [];
  for (const team of teams) {
    const commands = await admin.getCustomTeamCommands(team.id);
    for (const c of commands) if (c.delete_at === 0 && c.url.endsWith(SLASH_PATH)) found.push(`${c.url.slice(0, -SLASH_PATH.length)} (/${c.trigger} in team ${team.name})`);
  }
  return found;
}

export type Session = {last_activity_at: number};

export async function sessionsOf(admin: AdminClient, userId: string): Promise<Session[]> {
  return admin.getSessions(userId);
}

/** `sessions`: the probe user's sessions before the rotation (a new password may end them). */
export async function rotationNotices(admin: AdminClient, teams: readonly MmTeam[], probeUser: MmUser, rotated: readonly Rotatable[], sessions: readonly Session[]): Promise<string[]> {
  const notices: string[] = [];
  if (rotated.includes('bot-token')) {
    notices.push(
      'a new bot token was made; bridges keep working with their old token until it is revoked: give each bridge the new one (bot-token), restart it, then revoke the old one with --revoke-token ID',
    );
  }
  if (rotated.includes('probe-password')) {
    notices.push(
      `the probe user has a new password; every bridge that logs in as @${probeUser.username} fails its login, websocket and post_roundtrip probes until it gets the new one (probe-password) and restarts`,
    );
  }
  if (rotated.includes('signing-key')) {
    notices.push(
      'a new post signing key was made and declared; the cards show every bridge still signing with the old one as plain text until it gets the new one (signing-key, HEALTHCHECK_SIGNING_KEY_FILE) and restarts',
    );
  }
  const bridges = await knownBridges(admin, teams);
  notices.push(bridges.length > 0 ? `bridges registered on these teams: ${bridges.join(', ')}` : 'no bridge has registered /healthcheck on these teams: look for bridges configured with these names');
  if (sessions.length > 0) {
    const latest = new Date(Math.max(...sessions.map((s) => s.last_activity_at))).toISOString();
    notices.push(`@${probeUser.username} had ${sessions.length} session(s) before the change, the latest used at ${latest}: each is a bridge's login probe or someone signed in as the probe user`);
  }
  return notices;
}
