// The one map of probe name → probe; config validation takes the allowed names from PROBE_NAMES.
import {channelJoin} from './channel_join';
import {cluster} from './cluster';
import {login} from './login';
import {loginPage} from './login_page';
import {ping} from './ping';
import {postRoundtrip} from './post_roundtrip';
import {push} from './push';
import {searchChannels} from './search_channels';
import {searchUsers} from './search_users';
import {serverStatus} from './server_status';
import type {ProbeDefinition} from './types';
import {webSocket} from './websocket';

export const probeRegistry = {
  ping,
  server_status: serverStatus,
  login_page: loginPage,
  login,
  websocket: webSocket,
  post_roundtrip: postRoundtrip,
  channel_join: channelJoin,
  search_users: searchUsers,
  search_channels: searchChannels,
  push,
  cluster,
} as const satisfies Readonly<Record<string, ProbeDefinition>>;

export type ProbeName = keyof typeof probeRegistry;

/** The probe names, in registry order; a non-empty tuple so z.enum(PROBE_NAMES) works. */
export const PROBE_NAMES = Object.keys(probeRegistry) as [ProbeName, ...ProbeName[]];

export function isProbeName(name: string): name is ProbeName {
  return Object.prototype.hasOwnProperty.call(probeRegistry, name);
}
