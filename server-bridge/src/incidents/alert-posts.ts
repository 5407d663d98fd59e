// The alert posts of an incident's life (contract ALERT type and props) with their readable text.
import {ALERT_POST_TYPE, ALERT_PROP, ALERT_SCHEMA, type Alert, type FailingProbe} from '../contract';
import {formatDuration, formatTime} from '../text/format';
import {channelMention, markdownLiteral, userMention} from '../text/markdown';

function probeList(probes: readonly string[]): string {
  return probes.map((p) => `**${p}**`).join(', ');
}

export interface Incident {
  id: string;
  target: string;
  probes: string[];
  openedAt: number;
  resolvedAt: number | null;
  /** The root post's delivery id in the outbox (its post id once delivered). */
  rootDeliveryId: string | null;
  remindersSent: number;
  lastReminderAt: number | null;
  lastError?: string;
  /** Why it was closed without a recovery (its target or probes are no longer configured). */
  closedNote?: string;
  /** Who acknowledged it (the username the server gives) and when. */
  ack?: {by: string; at: number};
  /** Several bridges: the vantages that saw its probes fail, and those that saw them healthy. */
  vantages?: {failing: string[]; healthy: string[]};
}

export interface Mute {
  id: string;
  /** null: every probe. */
  probe: string | null;
  from: number;
  until: number;
  /** The username of who muted, as the server knows it. */
  by: string;
  /** The channel the command came from, as the server knows it. */
  where?: string | null;
}

export interface AlertPost {
  message: string;
  type: string;
  props: Record<string, unknown>;
}

function post(alert: Alert, message: string): AlertPost {
  return {message, type: ALERT_POST_TYPE, props: {[ALERT_PROP]: alert}};
}

function base(incident: Incident, probes: FailingProbe[], event: Alert['event']): Alert {
  const resolved = incident.resolvedAt !== null;
  return {
    schema: ALERT_SCHEMA,
    incidentId: incident.id,
    event,
    state: resolved ? 'resolved' : 'open',
    target: incident.target,
    probes,
    openedAt: incident.openedAt,
    resolvedAt: incident.resolvedAt,
    durationMs: incident.resolvedAt === null ? null : incident.resolvedAt - incident.openedAt,
    ...(incident.lastError ? {lastError: incident.lastError} : {}),
    ...(incident.ack ? {ack: {...incident.ack}} : {}),
  };
}

/** Several bridges: which saw the failure and which did not. */
export function vantageLine(incident: Incident): string[] {
  const v = incident.vantages;
  if (!v) return [];
  const names = (list: string[]) => list.map((n) => markdownLiteral(n)).join(', ');
  return [`Seen failing from ${names(v.failing) || 'no bridge'}${v.healthy.length ? `; healthy from ${names(v.healthy)}` : ''}.`];
}

/** The root's line about who acknowledged it. */
export function ackLine(incident: Incident): string[] {
  return incident.ack ? [`:eyes: Acknowledged by ${userMention(incident.ack.by)} at ${formatTime(incident.ack.at)}.`] : [];
}

function reasons(probes: FailingProbe[]): string[] {
  const lines: string[] = [];
  for (const p of probes) {
    const failed = p.checks.filter((c) => !c.ok).slice(0, 3);
    if (failed.length === 0 && p.error) lines.push(`- **${p.probe}**: ${markdownLiteral(p.error)}`);
    for (const c of failed) lines.push(`- **${p.probe}** ${c.label}: observed ${markdownLiteral(c.observed)}, expected ${markdownLiteral(c.expected)}`);
  }
  return lines;
}

/** The root post; also its content once resolved (patched once). */
export function rootPost(incident: Incident, probes: FailingProbe[]): AlertPost {
  const alert = base(incident, probes, 'open');
  if (incident.resolvedAt !== null && incident.closedNote) {
    return post(
      alert,
      `:heavy_minus_sign: **Closed on ${markdownLiteral(incident.target)}** after ${formatDuration(incident.resolvedAt - incident.openedAt)}: ${probeList(incident.probes)}. ${incident.closedNote}`,
    );
  }
  if (incident.resolvedAt !== null) {
    const message = [
      `:white_check_mark: **Resolved on ${markdownLiteral(incident.target)}** after ${formatDuration(incident.resolvedAt - incident.openedAt)}: ${probeList(incident.probes)}`,
      `Failing from ${formatTime(incident.openedAt)} to ${formatTime(incident.resolvedAt)}.`,
    ].join('\n');
    return post(alert, message);
  }
  const message = [
    `:red_circle: **Incident on ${markdownLiteral(incident.target)}**: ${probeList(incident.probes)} failing since ${formatTime(incident.openedAt)}`,
    ...reasons(probes),
    ...(incident.lastError ? [`Last error: ${markdownLiteral(incident.lastError)}`] : []),
    ...vantageLine(incident),
    ...ackLine(incident),
  ].join('\n');
  return post(alert, message);
}

/** The one line in the thread when someone acknowledges. */
export function ackPost(incident: Incident, reminders: 'stop' | number): AlertPost {
  const what = reminders === 'stop' ? 'Reminders stop' : `Reminders now every ${formatDuration(reminders)}`;
  return post(base(incident, [], 'ack'), `:eyes: Acknowledged by ${userMention(incident.ack?.by ?? '?')} at ${formatTime(incident.ack?.at ?? 0)}. ${what}.`);
}

export function reminderPost(incident: Incident, probes: FailingProbe[], now: number): AlertPost {
  return post(base(incident, probes, 'reminder'), `:hourglass: Still failing for ${formatDuration(now - incident.openedAt)}: ${probeList(incident.probes)} on ${markdownLiteral(incident.target)}.`);
}

export function resolvedPost(incident: Incident, probes: FailingProbe[]): AlertPost {
  if (incident.closedNote) return post(base(incident, probes, 'resolved'), `:heavy_minus_sign: Closed without a recovery: ${incident.closedNote}`);
  const duration = formatDuration((incident.resolvedAt ?? incident.openedAt) - incident.openedAt);
  return post(
    base(incident, probes, 'resolved'),
    `:white_check_mark: Recovered after ${duration}: ${probeList(incident.probes)} on ${markdownLiteral(incident.target)} (at ${formatTime(incident.resolvedAt ?? incident.openedAt)}).`,
  );
}

function muteAlert(mute: Mute, event: 'mute' | 'unmute', at: number): Alert {
  return {
    schema: ALERT_SCHEMA,
    incidentId: mute.id,
    event,
    state: event === 'mute' ? 'open' : 'resolved',
    target: 'all',
    probes: mute.probe ? [{probe: mute.probe, checks: []}] : [],
    openedAt: mute.from,
    resolvedAt: event === 'mute' ? null : at,
    durationMs: event === 'mute' ? null : at - mute.from,
    mutedUntil: event === 'mute' ? mute.until : null,
  };
}

const scope = (mute: Mute) => (mute.probe ? `for ${probeList([mute.probe])}` : 'for all probes');

export function mutePost(mute: Mute): AlertPost {
  return post(
    muteAlert(mute, 'mute', mute.from),
    `:mute: Alerts muted ${scope(mute)} until ${formatTime(mute.until)} (${formatDuration(mute.until - mute.from)}) by ${userMention(mute.by)}${mute.where ? ` in ${channelMention(mute.where)}` : ''}. Probes keep running.`,
  );
}

export function unmutePost(mute: Mute, at: number, by: string | null, where: string | null = null): AlertPost {
  const how = by ? `by ${userMention(by)}${where ? ` in ${channelMention(where)}` : ''}` : 'the mute ended';
  return post(muteAlert(mute, 'unmute', at), `:loud_sound: Alerts unmuted ${scope(mute)} (${how}, at ${formatTime(at)}).`);
}
