// What a setup e2e test made, taken away again: its teams (commands first), its bot disabled (bots
// cannot be deleted) and its probe user deactivated.
import type {MmBot, MmCommand, MmTeam} from '../../server-bridge/src/mm/types';
import type {TestServer} from './mattermost';

export async function removeSetupObjects(mm: TestServer, made: {teams: readonly MmTeam[]; bot: string; probe: string}): Promise<void> {
  for (const team of made.teams) {
    for (const c of await mm.admin.get<MmCommand[]>('/commands', {query: {team_id: team.id, custom_only: true}})) await mm.admin.delete(`/commands/${c.id}`);
    await mm.admin.delete(`/teams/${team.id}`);
  }
  const bot = (await mm.admin.get<MmBot[]>('/bots', {query: {per_page: 200}})).find((b) => b.username === made.bot);
  if (bot) await mm.admin.post(`/bots/${bot.user_id}/disable`);
  const probe = await mm.admin.get<{id: string}>(`/users/username/${made.probe}`).catch(() => null);
  if (probe) await mm.admin.delete(`/users/${probe.id}`);
}
