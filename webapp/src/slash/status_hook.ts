// /healthcheck and /healthcheck status answered in the browser; everything else goes to the server.
import type {Services} from '../host/services';
import type {SlashArgs, SlashHookResult} from '../host/types';
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

export function createStatusHook(
  services: Services,
  load: LoadStatus = lazyLoadStatus,
  newId: () => string = () => `${LOCAL_ANSWER_PREFIX}${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`,
  loadTrigger: LoadTrigger = lazyLoadTrigger,
) {
  // The bridge's trigger, learned in the background from the bot's status the first time any command
  // is typed (no command waits for it); the default until then.
  let trigger = TRIGGER;
  let asked = false;
  const forget = () => (asked = false);
  return async (message: string, args: SlashArgs): Promise<SlashHookResult> => {
    if (!asked) {
      asked = true;
      loadTrigger(services, args.team_id).then((t) => (t ? (trigger = t) : forget()), forget);
    }
    if (!answersInBrowser(message, trigger)) return {message, args};
    let snapshot: StatusSnapshot | null;
    try {
      snapshot = await load(services, args.team_id);
    } catch (err) {
      console.warn('[healthcheck] /healthcheck answered by the server: the report could not be read here', err);
      snapshot = null;
    }
    if (!snapshot) return {message, args};
    (await chunk()).showAnswer(services, args, snapshot, newId());
    return {};
  };
}
