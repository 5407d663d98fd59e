// /healthcheck and /healthcheck status answered in the browser; everything else goes to the server.
import type {Services} from '../host/services';
import {currentUserId} from '../host/state';
import type {SlashArgs, SlashHookResult} from '../host/types';
import {STATUS_POST_TYPE} from '../post_types';
import {LOCAL_ANSWER_PREFIX, type StatusSnapshot} from './status_snapshots';

export const TRIGGER = '/healthcheck';

/** Whether the browser answers this command itself: only the status form of the bridge's trigger. */
export function answersInBrowser(message: string, ours: string = TRIGGER): boolean {
  const [trigger, ...rest] = message.trim().split(/\s+/);
  if (trigger?.toLowerCase() !== ours) return false;
  return rest.length === 0 || (rest.length === 1 && rest[0]?.toLowerCase() === 'status');
}

type LoadStatus = (services: Services, teamId: string) => Promise<StatusSnapshot | null>;
type LoadTrigger = (services: Services, teamId: string) => Promise<string | null>;

// The loader sits in a lazy chunk (it needs the schema), so typing /healthcheck pays for it only then.
const chunk = () => import(/* webpackChunkName: "status" */ './load_status');
const lazyLoadStatus: LoadStatus = async (services, teamId) => (await chunk()).loadStatus(services, teamId);
const lazyLoadTrigger: LoadTrigger = async (services, teamId) => (await chunk()).triggerFor(services, teamId);

/** The trigger per team, learned in the background the first time any command is typed there (none waits); the default until then. */
function triggers(services: Services, load: LoadTrigger) {
  const learned = new Map<string, string | Promise<unknown>>();
  return (teamId: string): string => {
    const known = learned.get(teamId);
    if (!known) learned.set(teamId, load(services, teamId).then((t) => (t ? learned.set(teamId, t) : learned.delete(teamId)), () => learned.delete(teamId)));
    return typeof known === 'string' ? known : TRIGGER;
  };
}

export function createStatusHook(services: Services, load: LoadStatus = lazyLoadStatus, newId: () => string = () => `${LOCAL_ANSWER_PREFIX}${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`, loadTrigger: LoadTrigger = lazyLoadTrigger) {
  const triggerOf = triggers(services, loadTrigger);
  return async (message: string, args: SlashArgs): Promise<SlashHookResult> => {
    if (!answersInBrowser(message, triggerOf(args.team_id))) return {message, args};
    let snapshot: StatusSnapshot | null;
    try {
      snapshot = await load(services, args.team_id);
    } catch (err) {
      console.warn('[healthcheck] /healthcheck answered by the server: the report could not be read here', err);
      snapshot = null;
    }
    if (!snapshot) return {message, args};
    const id = newId();
    services.statuses.set(id, snapshot);
    const state = services.store.getState();
    const now = Date.now();
    // No public API for a client-only reply: the host shows a post received this way (see index.tsx).
    services.store.dispatch({
      type: 'RECEIVED_NEW_POST',
      data: {
        id,
        user_id: currentUserId(state) ?? '',
        channel_id: args.channel_id,
        root_id: args.root_id ?? '',
        message: snapshot.plain ?? '',
        type: STATUS_POST_TYPE,
        create_at: now,
        update_at: now,
        props: {},
      },
      // The host's reducers read features.crtEnabled on new posts; a reply then still shows in place.
      features: {crtEnabled: false},
    });
    return {};
  };
}
