// Mattermost's API objects as the official packages type them, and the plugin contract the host page
// serves (the web app's registry, which no package types).
import type {WebSocketMessage as MmWebSocketMessage} from '@mattermost/client';
import type {Post as MmPost, PostList as MmPostList} from '@mattermost/types/posts';
import type {UserProfile} from '@mattermost/types/users';
import type {ComponentType} from 'react';

export type {Channel} from '@mattermost/types/channels';
export type {PluginManifest, PluginSetting} from '@mattermost/types/plugins';
export type {Team} from '@mattermost/types/teams';
export type User = UserProfile;
/** The package's Post.type is a closed union of the server's own types; plugins add custom_* ones. */
export type Post = Omit<MmPost, 'type' | 'props'> & {type: MmPost['type'] | `custom_${string}`; props: MmPost['props'] | null};
export type PostList = Pick<MmPostList, 'order'> & {posts: Record<string, Post>};
/** An event as parsed off the wire: the server leaves out broadcast fields that are empty. */
export type WebSocketMessage = Omit<MmWebSocketMessage<Record<string, unknown>>, 'broadcast' | 'seq'> & {broadcast: Partial<MmWebSocketMessage['broadcast']>; seq?: number};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- plugin components take whatever props the web app passes
export type AnyComponent = ComponentType<any>;
export type SlashHook = (message: string, args: {channel_id: string; team_id: string; root_id: string}) => unknown;
export type WebSocketHandler = (msg: WebSocketMessage) => void;
