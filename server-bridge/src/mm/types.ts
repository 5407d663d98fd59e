// The parts of Mattermost's API objects the bridge reads.
export interface MmUser {
  id: string;
  username: string;
  roles: string;
  is_bot?: boolean;
  delete_at: number;
}
export interface MmTeam {
  id: string;
  name: string;
  display_name: string;
}
export interface MmChannel {
  id: string;
  team_id: string;
  name: string;
  display_name: string;
  type: string;
}
export interface MmBot {
  user_id: string;
  username: string;
  display_name: string;
  owner_id: string;
  delete_at: number;
}
export interface MmPost {
  id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  user_id: string;
  channel_id: string;
  root_id: string;
  message: string;
  type: string;
  props: Record<string, unknown>;
}
export interface MmPostList {
  order: string[];
  posts: Record<string, MmPost>;
}
export interface MmCommand {
  id: string;
  token: string;
  team_id: string;
  trigger: string;
  url: string;
  method: string;
  creator_id: string;
  delete_at: number;
}
export interface MmUserAccessToken {
  id: string;
  token?: string;
  user_id: string;
  description: string;
  is_active?: boolean;
}
export interface MmPing {
  status: string;
  ActiveSearchBackend?: string;
  database_status?: string;
  filestore_status?: string;
  root_status?: boolean;
  [key: string]: unknown;
}
