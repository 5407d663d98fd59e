// Mattermost's API objects as the official @mattermost/types (and @mattermost/client) type them, under
// the names the bridge uses. Types only: nothing of the packages is loaded at run time.
import type {Bot} from '@mattermost/types/bots';
import type {Channel} from '@mattermost/types/channels';
import type {Command} from '@mattermost/types/integrations';
import type {Post, PostList} from '@mattermost/types/posts';
import type {Team} from '@mattermost/types/teams';
import type {UserAccessToken, UserProfile} from '@mattermost/types/users';

export type MmUser = UserProfile;
export type MmTeam = Team;
export type MmChannel = Channel;
export type MmBot = Bot;
/** The package's Post.type is a closed union of the server's own types; the bridge posts custom_* ones. */
export type MmPost = Omit<Post, 'type'> & {type: Post['type'] | `custom_${string}`};
export type MmPostList = Omit<PostList, 'posts'> & {posts: Record<string, MmPost>};
export type MmCommand = Command;
export type MmUserAccessToken = UserAccessToken;

/** The ping answer: the packages have no type of it (Client4 types it inline and only in part). */
export interface MmPing {
  status: string;
  ActiveSearchBackend?: string;
  database_status?: string;
  filestore_status?: string;
  root_status?: boolean;
  [key: string]: unknown;
}
export interface MmClusterInfo {
  id: string;
  version: string;
  config_hash: string;
  ipaddress: string;
  hostname: string;
  schema_version?: string;
}
