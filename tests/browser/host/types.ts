// The parts of Mattermost's API objects and plugin contract the host page uses.
import type {ComponentType} from 'react';

export interface User {
  id: string;
  username: string;
  roles: string;
  locale?: string;
  is_bot?: boolean;
}
export interface Team {
  id: string;
  name: string;
  display_name: string;
}
export interface Channel {
  id: string;
  team_id: string;
  name: string;
  display_name: string;
  type: string;
}
export interface Post {
  id: string;
  create_at: number;
  update_at: number;
  delete_at?: number;
  user_id: string;
  channel_id: string;
  root_id: string;
  message: string;
  type: string;
  props: Record<string, unknown> | null;
}
export interface PostList {
  order: string[];
  posts: Record<string, Post>;
}
export interface PluginSetting {
  key: string;
  display_name?: string;
  type: string;
  help_text?: string;
  placeholder?: string;
  default?: unknown;
  options?: {display_name: string; value: string}[];
}
export interface PluginManifest {
  id: string;
  name?: string;
  version: string;
  webapp?: {bundle_path?: string};
  settings_schema?: {header?: string; footer?: string; settings?: PluginSetting[]};
}
export interface WebSocketMessage {
  event: string;
  data: Record<string, unknown>;
  broadcast: {channel_id?: string; team_id?: string; user_id?: string; omit_users?: unknown};
  seq?: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- plugin components take whatever props the web app passes
export type AnyComponent = ComponentType<any>;
export type SlashHook = (message: string, args: {channel_id: string; team_id: string; root_id: string}) => unknown;
export type WebSocketHandler = (msg: WebSocketMessage) => void;
