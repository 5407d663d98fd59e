// What a button (or `/healthcheck ack`) does once the request is known to come from Mattermost:
// the clicking user's role is read from the server, then the incident changes, at most once.
import type {AlertPost} from '../incidents/alert-posts';
import {formatDuration, formatTime} from '../text/format';
import type {IncidentManager} from '../incidents/incidents';
import {MUTE_DURATIONS} from './buttons';
import type {IncidentAction} from './action-token';
import {hasRole, roleWords, type ActionRole, type Clicker, type RoleReader} from './roles';
import {MARK} from '../text/marks';

export interface PerformDeps {
  incidents: IncidentManager;
  roles: RoleReader;
  who: {ack: ActionRole; mute: ActionRole};
  /** The ops channel's name, for the mute announcement. */
  opsChannel: string;
}

export interface Performed {
  /** The root's new content when it changed (the action's `update`). */
  update: AlertPost | null;
  /** What the clicking user alone is told. */
  text: string;
  changed: boolean;
}

const refused = (text: string): Performed => ({update: null, text, changed: false});

/** The clicking user as the server knows them, when their role allows `what` (acknowledge, or mute and unmute); else the refusal to tell them. */
export async function allowedClicker(deps: Pick<PerformDeps, 'roles' | 'who'>, userId: string, kind: 'ack' | 'mute', what: string): Promise<{ok: true; clicker: Clicker} | {ok: false; text: string}> {
  const clicker = await deps.roles.user(userId);
  if (!clicker) return {ok: false, text: `${MARK.refused} Your account could not be checked with the server.`};
  const role = kind === 'ack' ? deps.who.ack : deps.who.mute;
  const allowed = await hasRole(deps.roles, clicker, userId, role);
  if (allowed === 'public') return {ok: false, text: `${MARK.refused} Only system admins may ${what} while the ops channel is public (anyone in the team can join it); an admin can make it private.`};
  if (!allowed) return {ok: false, text: `${MARK.refused} Only ${roleWords[role]} may ${what}.`};
  return {ok: true, clicker};
}

export async function perform(deps: PerformDeps, incidentId: string, action: IncidentAction, userId: string, now: number): Promise<Performed> {
  const kind = action === 'ack' ? 'ack' : 'mute';
  const who = await allowedClicker(deps, userId, kind, kind === 'ack' ? 'acknowledge incidents' : 'mute or unmute alerts');
  if (!who.ok) return refused(who.text);
  const {clicker} = who;
  const {incidents} = deps;
  if (action === 'ack') {
    const out = incidents.acknowledge(incidentId, clicker.username, now);
    if (out.status === 'unknown') return {update: incidents.rootOf(incidentId, now), text: 'This incident is no longer open.', changed: false};
    if (out.status === 'already') return refused(`Already acknowledged by @${out.incident.ack?.by} at ${formatTime(out.incident.ack?.at ?? now)}.`);
    return {update: out.root, text: ':eyes: Acknowledged; the ops channel is told in the thread.', changed: true};
  }
  if (action === 'unmute') {
    const ended = incidents.unmute(clicker.username, now, deps.opsChannel);
    return {update: incidents.rootOf(incidentId, now), text: ended.length ? `${MARK.unmute} Alerts are back on.` : 'Nothing was muted.', changed: ended.length > 0};
  }
  const ms = MUTE_DURATIONS[action] as number;
  const until = incidents.mutedUntil(now);
  // A second click (or another admin's) within a minute of the same end changes nothing.
  if (until !== null && until >= now + ms - 60_000) return refused(`Alerts are already muted until ${formatTime(until)}.`);
  incidents.mute(null, ms, clicker.username, now, deps.opsChannel);
  return {update: incidents.rootOf(incidentId, now), text: `${MARK.mute} Alerts muted for all probes for ${formatDuration(ms)}. Probes keep running.`, changed: true};
}
