// Registers /healthcheck as a custom slash command in every team served, and keeps it right on
// restart: created when missing, duplicates removed, URL and autocomplete updated when changed. An
// existing command is adopted only when the bot or a system admin created it: its creator can read
// its token and point it elsewhere, so a command someone else made first is left alone, and said so.
import {isStatus, type MattermostClient} from '../mm/client';
import type {CommandsClient} from '../mm/client4-shape';
import type {MmCommand, MmTeam} from '../mm/types';

export const DEFAULT_TRIGGER = 'healthcheck';

export interface CommandSpec {
  trigger: string;
  url: string;
}

/** No token given may manage slash commands in a team: retrying will not help. */
export class SlashPermissionError extends Error {
  override readonly name = 'SlashPermissionError';
}

export interface Registration {
  teamId: string;
  teamName: string;
  commandId: string;
  token: string;
}

/** The fields the bridge owns; a command that differs in any of them is updated. */
export function desiredCommand(spec: CommandSpec, teamId: string) {
  return {
    team_id: teamId,
    trigger: spec.trigger,
    method: 'P',
    url: spec.url,
    display_name: 'Health Check',
    description: 'Mattermost health: probe results, incidents',
    auto_complete: true,
    auto_complete_desc: 'Mattermost health: status, run, history, mute, unmute, help',
    auto_complete_hint: '[status | run | history [probe] | mute <duration> [probe] | unmute | help]',
    username: 'healthcheck',
  };
}

type Desired = ReturnType<typeof desiredCommand>;

/** Whether a command made by this user may be adopted, and the creator's name for the message. */
export type CreatorCheck = (creatorId: string) => Promise<{trusted: boolean; who: string}>;

/** Trusted creators: the bot itself, or an active system admin (roles read from the server). */
export function trustedCreators(botUserId: () => Promise<string>, readUser: (id: string) => Promise<{username: string; roles: string; delete_at: number}>): CreatorCheck {
  return async (creatorId) => {
    if (creatorId && creatorId === (await botUserId())) return {trusted: true, who: 'the bot'};
    try {
      const user = await readUser(creatorId);
      return {trusted: user.delete_at === 0 && user.roles.split(' ').includes('system_admin'), who: `@${user.username}`};
    } catch {
      return {trusted: false, who: `user ${creatorId.slice(0, 26)}`};
    }
  };
}

export interface Adoption {
  creator: CreatorCheck;
  /** Filled with one line a team whose existing command was not adopted (that team is not served). */
  refused: string[];
  /** Only read what exists, change nothing (several bridges: only the leader registers). */
  readOnly?: boolean;
}

function differs(cmd: MmCommand & Partial<Desired>, want: Desired): boolean {
  return (Object.keys(want) as (keyof Desired)[]).some((k) => k !== 'username' && cmd[k] !== want[k]);
}

/** Lists the team's custom commands, or null when this token may not manage them. */
async function listCommands(client: CommandsClient, teamId: string): Promise<MmCommand[] | null> {
  try {
    return await client.getCustomTeamCommands(teamId);
  } catch (err) {
    if (isStatus(err, 403)) return null;
    throw err;
  }
}

const REFUSED = Symbol('refused');
/** Read-only and not registered yet (the leader will): the team is not served until then. */
const NOT_YET = Symbol('not yet');

async function ensureInTeam(client: CommandsClient, team: MmTeam, spec: CommandSpec, changes: string[], adoption: Adoption): Promise<Registration | null | typeof REFUSED | typeof NOT_YET> {
  const all = await listCommands(client, team.id);
  if (all === null) return null;
  const mine = all.filter((c) => c.trigger === spec.trigger && c.delete_at === 0).sort((a, b) => ((a as {create_at?: number}).create_at ?? 0) - ((b as {create_at?: number}).create_at ?? 0));
  const want = desiredCommand(spec, team.id);
  const [first, ...extra] = mine;
  if (first) {
    const creator = await adoption.creator(first.creator_id);
    if (!creator.trusted) {
      adoption.refused.push(
        `/${spec.trigger} in team ${team.name} (command ${first.id}) was created by ${creator.who}, neither the bot nor a system admin: not adopted, so /${spec.trigger} is not served in that team. ` +
          'Its creator can read its token and change its URL; a system admin should delete it (System Console or Integrations > Slash Commands), then run setup again or restart the bridge.',
      );
      return REFUSED;
    }
  }
  let keep = first;
  if (adoption.readOnly) return keep ? {teamId: team.id, teamName: team.name, commandId: keep.id, token: keep.token} : NOT_YET;
  for (const dup of extra) {
    await client.deleteCommand(dup.id);
    changes.push(`removed a duplicate /${spec.trigger} command in team ${team.name}`);
  }
  if (!keep) {
    keep = await client.addCommand(want as MmCommand);
    changes.push(`registered /${spec.trigger} in team ${team.name}`);
  } else if (differs(keep, want)) {
    keep = await client.editCommand({...keep, ...want, id: keep.id} as MmCommand);
    changes.push(`updated /${spec.trigger} in team ${team.name} (URL ${spec.url})`);
  }
  return {teamId: team.id, teamName: team.name, commandId: keep.id, token: keep.token};
}

/**
 * For every team: the first client allowed to manage slash commands does the work (the bot's
 * token when it has the permission, otherwise the admin's). Throws when none is allowed; a team
 * whose command was made by someone untrusted is left out (adoption.refused says why).
 */
export async function ensureSlashCommands(clients: readonly CommandsClient[], teams: readonly MmTeam[], spec: CommandSpec, changes: string[], adoption: Adoption): Promise<Registration[]> {
  const out: Registration[] = [];
  for (const team of teams) {
    let done: Registration | null | typeof REFUSED | typeof NOT_YET = null;
    for (const client of clients) {
      done = await ensureInTeam(client, team, spec, changes, adoption);
      if (done) break;
    }
    if (done === REFUSED || done === NOT_YET) continue;
    if (!done) throw new SlashPermissionError(`no token given may manage slash commands in team ${team.name} (the bot lacks manage_own_slash_commands; give an admin token)`);
    out.push(done);
  }
  return out;
}

export async function teamsByName(client: MattermostClient, names: readonly string[]): Promise<MmTeam[]> {
  return Promise.all(names.map((n) => client.get<MmTeam>(`/teams/name/${encodeURIComponent(n)}`)));
}
