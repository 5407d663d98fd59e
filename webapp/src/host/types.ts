// The parts of the Mattermost web app's plugin contract this plugin uses (see index.tsx for the list).
import type {ComponentType} from 'react';

export interface HostAction {
  type: string;
  data?: unknown;
  features?: Record<string, unknown>;
}

export interface HostStore {
  getState(): unknown;
  dispatch(action: HostAction): unknown;
}

/** The fields of a post the plugin reads; the host passes the whole post. */
export interface HostPost {
  id: string;
  user_id: string;
  channel_id: string;
  root_id?: string;
  type?: string;
  message: string;
  create_at: number;
  props?: Record<string, unknown> | null;
}

export interface PostTypeProps {
  post: HostPost;
  compactDisplay?: boolean;
  isRHS?: boolean;
}

/** Props the System Console passes to a custom setting component. */
export interface AdminSettingProps {
  id: string;
  label?: string;
  helpText?: unknown;
  value?: unknown;
  disabled?: boolean;
  config?: unknown;
}

export interface SlashArgs {
  channel_id: string;
  team_id: string;
  root_id?: string;
}

export type SlashHookResult = {message: string; args: SlashArgs} | Record<string, never>;

export interface WebSocketMessage {
  event: string;
  data?: Record<string, unknown>;
  broadcast?: {channel_id?: string; team_id?: string; user_id?: string};
}

export interface Registry {
  registerPostTypeComponent(type: string, component: ComponentType<PostTypeProps>): string;
  unregisterPostTypeComponent(id: string): void;
  registerAdminConsoleCustomSetting(key: string, component: ComponentType<AdminSettingProps>, options?: {showTitle: boolean}): void;
  registerSlashCommandWillBePostedHook(hook: (message: string, args: SlashArgs) => Promise<SlashHookResult>): string;
  unregisterComponent(id: string): void;
  registerWebSocketEventHandler(event: string, handler: (msg: WebSocketMessage) => void): void;
  unregisterWebSocketEventHandler(event: string): void;
  registerReconnectHandler(handler: () => void): void;
  unregisterReconnectHandler(): void;
  registerTranslations(getTranslationsForLocale: (locale: string) => Record<string, string>): void;
}
