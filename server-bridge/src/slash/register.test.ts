import type {CommandsClient} from '../mm/client4-shape';
import type {MmCommand, MmTeam} from '../mm/types';
import {ensureSlashCommands, trustedCreators} from './register';

const BOT = 'bot0000000000000000000000a';
const ADMIN = 'admin00000000000000000000a';
const MEMBER = 'member0000000000000000000a';
const TEAM = {id: 'team0000000000000000000000', name: 'ops'} as MmTeam;
const SPEC = {trigger: 'healthcheck', url: 'http://bridge:8075/slash/healthcheck'};

const users: Record<string, {username: string; roles: string; delete_at: number}> = {
  [ADMIN]: {username: 'boss', roles: 'system_user system_admin', delete_at: 0},
  [MEMBER]: {username: 'eve', roles: 'system_user', delete_at: 0},
};
const creator = trustedCreators(
  async () => BOT,
  async (id) => {
    const user = users[id];
    if (!user) throw new Error('404');
    return user;
  },
);

function client(existing: Partial<MmCommand>[]) {
  const calls: string[] = [];
  const commands = existing.map((c, i) => ({id: `cmd${i}`, trigger: 'healthcheck', delete_at: 0, token: `tok${i}`, team_id: TEAM.id, ...c}) as MmCommand);
  const c: CommandsClient = {
    getCustomTeamCommands: async () => commands,
    addCommand: async (cmd) => (calls.push('add'), {...cmd, id: 'new', token: 'newtok'}),
    editCommand: async (cmd) => (calls.push(`edit ${cmd.id}`), cmd),
    deleteCommand: async (id) => (calls.push(`delete ${id}`), {status: 'OK'}),
  };
  return {c, calls};
}

describe('ensureSlashCommands', () => {
  it('adopts an existing command only when the bot or an active system admin made it', async () => {
    for (const creatorId of [BOT, ADMIN]) {
      const {c, calls} = client([{creator_id: creatorId, url: SPEC.url}]);
      const refused: string[] = [];
      const regs = await ensureSlashCommands([c], [TEAM], SPEC, [], {creator, refused});
      expect(regs).toEqual([{teamId: TEAM.id, teamName: 'ops', commandId: 'cmd0', token: 'tok0'}]);
      expect(refused).toEqual([]);
      expect(calls).toEqual(['edit cmd0']);
    }
  });

  it('leaves a command someone else made first alone (no edit, no delete), serves no token for that team, and says why', async () => {
    for (const creatorId of [MEMBER, 'gone000000000000000000000a']) {
      const {c, calls} = client([{creator_id: creatorId}]);
      const refused: string[] = [];
      expect(await ensureSlashCommands([c], [TEAM], SPEC, [], {creator, refused})).toEqual([]);
      expect(calls).toEqual([]);
      expect(refused).toEqual([expect.stringMatching(/^\/healthcheck in team ops \(command cmd0\) was created by (@eve|user gone0+a), neither the bot nor a system admin: not adopted/)]);
    }
  });

  it('creates the command when there is none', async () => {
    const {c, calls} = client([]);
    expect(await ensureSlashCommands([c], [TEAM], SPEC, [], {creator, refused: []})).toEqual([{teamId: TEAM.id, teamName: 'ops', commandId: 'new', token: 'newtok'}]);
    expect(calls).toEqual(['add']);
  });
});
