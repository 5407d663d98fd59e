// What an SLO alert's button does once the request is known to come from Mattermost: the role of
// the clicking user is read from the server (as for incidents), then the alert is acknowledged the
// way `/healthcheck slo ack` does it, or the objective's probes are muted as the incident Mute does.
// Several bridges: a follower hands an acknowledgement to the leader, which alone posts.
import type {IncidentManager} from '../incidents/incidents';
import {formatDuration, formatTime} from '../text/format';
import {MARK} from '../text/marks';
import {MUTE_DURATIONS} from './buttons';
import {allowedClicker, type PerformDeps} from './perform';
import type {SloAction} from './slo-buttons';

/** An open SLO alert as this bridge knows it. */
export interface KnownSloAlert {
  slo: string;
  rootDeliveryId: string;
  ack?: {by: string; at: number};
}

/** An acknowledgement a follower took, for the leader to apply (bridge/ha.ts). */
export interface SloAckRequest {
  alertId: string;
  by: string;
  at: number;
  /** The post the button was on: the leader applies it only to that alert's root. */
  postId: string;
}

/** What the buttons need of the SLO service (bridge/slo-actions.ts builds it). */
export interface SloActionPort {
  /** The open alert by id, or null when this bridge knows of no such open alert. */
  alert(alertId: string): KnownSloAlert | null;
  /** `/healthcheck slo ack`'s path: the root names who, one line in the thread. */
  acknowledge(alertId: string, by: string): void;
  /** The probes of a configured objective, or null. */
  probesOf(slo: string): readonly string[] | null;
  postIdOf(deliveryId: string): string | null;
}

export interface SloPerformDeps extends Pick<PerformDeps, 'roles' | 'who' | 'opsChannel'> {
  slo: SloActionPort;
  incidents: Pick<IncidentManager, 'mute' | 'activeMutes'>;
  /** Several bridges: on a follower, an acknowledgement goes to the leader through the store. */
  forward?: {local(): boolean; ack(request: SloAckRequest): void};
}

export interface SloPerformed {
  text: string;
  changed: boolean;
}

const refused = (text: string): SloPerformed => ({text, changed: false});

/** When the mutes covering a probe end (0: not muted). */
function mutedUntil(incidents: SloPerformDeps['incidents'], probe: string, now: number): number {
  return Math.max(0, ...incidents.activeMutes(now).flatMap((m) => (m.probe === null || m.probe === probe ? [m.until] : [])));
}

export async function performSlo(deps: SloPerformDeps, target: {alertId: string; slo: string; postId: string}, action: SloAction, userId: string, now: number): Promise<SloPerformed> {
  const kind = action === 'ack' ? 'ack' : 'mute';
  const who = await allowedClicker(deps, userId, kind, kind === 'ack' ? 'acknowledge SLO alerts' : 'mute alerts');
  if (!who.ok) return refused(who.text);
  const {username} = who.clicker;
  const known = deps.slo.alert(target.alertId);
  const local = deps.forward ? deps.forward.local() : true;
  if (action === 'ack') {
    if (known?.ack) return refused(`Already acknowledged by @${known.ack.by} at ${formatTime(known.ack.at)}.`);
    if (local) {
      if (!known) return refused('This SLO alert is no longer open.');
      deps.slo.acknowledge(target.alertId, username);
      return {text: ':eyes: Acknowledged; the ops channel is told in the thread.', changed: true};
    }
    deps.forward?.ack({alertId: target.alertId, by: username, at: now, postId: target.postId});
    return {text: ':eyes: Acknowledged; the bridge that posts tells the ops channel in the thread.', changed: true};
  }
  if (local && !known) return refused('This SLO alert is no longer open.');
  const probes = deps.slo.probesOf(target.slo);
  if (!probes || probes.length === 0) return refused('This objective is no longer configured.');
  const ms = MUTE_DURATIONS[action] as number;
  // A second click (or another admin's) within a minute of the same end changes nothing.
  const due = probes.filter((p) => mutedUntil(deps.incidents, p, now) < now + ms - 60_000);
  if (due.length === 0)
    return refused(`Alerts of ${probes.map((p) => `\`${p}\``).join(', ')} are already muted until ${formatTime(Math.min(...probes.map((p) => mutedUntil(deps.incidents, p, now))))}.`);
  for (const probe of due) deps.incidents.mute(probe, ms, username, now, deps.opsChannel);
  return {text: `${MARK.mute} Alerts muted for ${probes.map((p) => `\`${p}\``).join(', ')} for ${formatDuration(ms)}. Probes keep running.`, changed: true};
}
