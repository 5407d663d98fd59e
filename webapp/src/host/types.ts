// The parts of the Mattermost web app's plugin contract this plugin uses (see index.tsx for the list).
// Server objects come from the official @mattermost/types and @mattermost/client (types only: they
// cost the bundle nothing); what is written here is the web app's plugin API, which no package types.
import type {WebSocketMessage as MmWebSocketMessage} from '@mattermost/client';
import type {Post} from '@mattermost/types/posts';
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

/**
 * The fields of a post the plugin reads; the host passes the whole post. The package's Post.type is a
 * closed union of the server's own types, widened here for the custom_healthcheck_* ones.
 */
export type HostPost = Pick<Post, 'id' | 'user_id' | 'channel_id' | 'message' | 'create_at'> &
  Partial<Pick<Post, 'root_id'>> & {
    type?: Post['type'] | `custom_${string}`;
    props?: Post['props'] | null;
  };

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

/** A websocket event as the web app hands it to plugin handlers (data and broadcast may be partial). */
export type WebSocketMessage = Pick<MmWebSocketMessage<Record<string, unknown>>, 'event'> & Partial<Pick<MmWebSocketMessage<Record<string, unknown>>, 'data' | 'broadcast'>>;

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
  /** A page at /<team>/<plugin id>/<route>, behind sign-in. */
  registerNeedsTeamRoute(route: string, component: ComponentType): string;
  registerMainMenuAction(text: string, action: () => void, mobileIcon?: unknown): string;
  /** A component at the root of the app, on every page (the degraded-service notice). */
  registerGlobalComponent(component: ComponentType): string;
  registerChannelHeaderButtonAction(icon: unknown, action: () => void, dropdownText: string, tooltipText?: string): string;
}
