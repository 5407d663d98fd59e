// The lean client in Client4's shape, for the admin steps setup (on Client4) and the running bridge
// (on the lean client, which it loads anyway) share: slash-command registration and the bot's props.
import type {Client4} from '@mattermost/client';
import type {MattermostClient} from './client';
import type {MmCommand, MmUser} from './types';

export type CommandsClient = Pick<Client4, 'getCustomTeamCommands' | 'addCommand' | 'editCommand' | 'deleteCommand'>;
export type UsersClient = Pick<Client4, 'getUser' | 'patchUser'>;

export function client4Shape(client: MattermostClient): CommandsClient & UsersClient {
  return {
    getCustomTeamCommands: (teamId) => client.get<MmCommand[]>('/commands', {query: {team_id: teamId, custom_only: true}}),
    addCommand: (command) => client.post<MmCommand>('/commands', command),
    editCommand: (command) => client.put<MmCommand>(`/commands/${command.id}`, command),
    deleteCommand: (id) => client.delete(`/commands/${id}`),
    getUser: (userId) => client.get<MmUser>(`/users/${userId}`),
    patchUser: (patch) => client.put<MmUser>(`/users/${patch.id}/patch`, patch),
  };
}
