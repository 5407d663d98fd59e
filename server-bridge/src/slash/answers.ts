// The Markdown of /healthcheck answers: short lines and small tables that read well on web and mobile.
import type {Incident, Mute} from '../incidents/alert-posts';
import {formatDuration, formatTime} from '../text/format';
import {markdownLiteral, userMention} from '../text/markdown';
import type {RecentRun} from '../incidents/tracker';
import type {ProbeRow} from './status-rows';
import {targetSummaryLines} from './target-lines';
import {MARK} from '../text/marks';

export type {ProbeRow};

export interface StatusView {
  siteUrl: string;
  probes: ProbeRow[];
  incidents: (Incident & {postId: string | null})[];
  mutes: Mute[];
  now: number;
  /** Several bridges: each with how long ago it reported; silent ones past the vote window. */
  bridges?: {instance: string; seenAgoS: number; leader: boolean; silent: boolean}[] | null;
}

const STATE_ICON: Record<ProbeRow['state'], string> = {
  ok: `${MARK.ok} ok`,
  degraded: `${MARK.warning} degraded`,
  failing: `${MARK.failing} failing`,
  unknown: `${MARK.unknown} unknown`,
  not_configured: `${MARK.none} not configured`,
};

const ms = (value: number | null) => (value === null ? '–' : `${Math.round(value)} ms`);
const pct = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(value === 1 ? 0 : 2)} %`);

/**
 * The ping probe's latest run, not a ping made now: the request came through the server, which
 * answered it this moment, and the probe runs every interval (the web app pings from the browser).
 */
function pingLine(probes: readonly ProbeRow[], now: number): string[] {
  const ping = probes.find((p) => p.probe === 'ping');
  if (!ping) return ['Server ping: not probed (the ping probe is off)'];
  if (ping.startedAt === null) return ['Server ping: no result yet'];
  const when = `${formatDuration(now - ping.startedAt)} ago`;
  const version = ping.serverVersion ? ` · Mattermost ${ping.serverVersion}` : '';
  if (ping.state === 'ok') return [`Server ping: **OK** in ${ms(ping.durationMs)}, ${when}${version}`];
  return [`Server ping: ${STATE_ICON[ping.state]} · last run ${when} (${ms(ping.durationMs)})${version}`];
}

function incidentLines(view: StatusView): string[] {
  if (view.incidents.length === 0) return ['Open incidents: none'];
  return [
    `Open incidents (${view.incidents.length}):`,
    ...view.incidents.map((i) => {
      const link = i.postId ? ` · [thread](${view.siteUrl}/_redirect/pl/${i.postId})` : ' · post waiting to be delivered';
      return `- ${i.probes.map((p) => `**${p}**`).join(', ')} on ${markdownLiteral(i.target)} since ${formatTime(i.openedAt)} (${formatDuration(view.now - i.openedAt)})${link}`;
    }),
  ];
}

export function muteLines(mutes: Mute[], now: number): string[] {
  return mutes
    .filter((m) => m.until > now)
    .map((m) => `${MARK.mute} Alerts muted ${m.probe ? `for **${m.probe}**` : 'for all probes'} until ${formatTime(m.until)} (${formatDuration(m.until - now)} left, by ${userMention(m.by)})`);
}

const severalTargets = (probes: readonly ProbeRow[]) => probes.some((p) => p.target !== probes[0]?.target);

/** One target: every probe in a table. Several: counted per target, one line per target in trouble. */
export function probeTable(probes: ProbeRow[]): string[] {
  if (probes.length === 0) return ['No probe results yet.'];
  if (severalTargets(probes)) return targetSummaryLines(probes);
  const lines = ['| Probe | State | Latency | Uptime 24 h |', '|:--|:--|--:|--:|'];
  for (const p of probes) lines.push(`| ${p.probe} | ${STATE_ICON[p.state]} | ${ms(p.durationMs)} | ${pct(p.uptime24h)} |`);
  const failing = probes.filter((p) => p.state === 'failing' && p.error);
  for (const p of failing.slice(0, 5)) lines.push(`- **${p.probe}**: ${markdownLiteral(p.error as string)}`);
  return lines;
}

export function statusAnswer(view: StatusView): string {
  const ping = severalTargets(view.probes) ? [] : [...pingLine(view.probes, view.now), ''];
  return ['#### Mattermost health', ...ping, ...probeTable(view.probes), '', ...incidentLines(view), ...muteLines(view.mutes, view.now), ...bridgeLines(view.bridges)].join('\n');
}

/** Several bridges: which report (the leader marked), and which went silent (a dead-man per bridge). */
function bridgeLines(bridges: StatusView['bridges']): string[] {
  if (!bridges?.length) return [];
  const name = (b: NonNullable<StatusView['bridges']>[number]) => `${markdownLiteral(b.instance)}${b.leader ? ' (leader)' : ''}`;
  const live = bridges.filter((b) => !b.silent);
  const silent = bridges.filter((b) => b.silent);
  return [
    '',
    `Bridges reporting: ${live.map(name).join(', ') || 'none'}`,
    ...silent.map((b) => `${MARK.warning} Bridge ${markdownLiteral(b.instance)} silent for ${formatDuration(b.seenAgoS * 1000)}`),
  ];
}

export function historyAnswer(probe: string | null, runs: {probe: string; target: string; recent: RecentRun[]}[], incidents: Incident[]): string {
  const lines = [`#### Health check history${probe ? `: ${probe}` : ''}`];
  const shown = runs.filter((r) => probe === null || r.probe === probe);
  if (shown.length === 0) lines.push('No runs yet.');
  for (const r of shown) {
    const last = r.recent.slice(-10);
    const marks = last.map((x) => (x.ok ? MARK.ok : MARK.failing)).join('');
    lines.push(`**${r.probe}** (${r.target}): ${marks || 'no runs'}`);
    if (probe !== null) {
      for (const x of [...last].reverse()) lines.push(`- ${formatTime(x.at)} · ${x.ok ? 'ok' : 'failed'} · ${ms(x.durationMs)}${x.error ? ` · ${markdownLiteral(x.error)}` : ''}`);
    }
  }
  const relevant = incidents
    .filter((i) => probe === null || i.probes.includes(probe))
    .slice(-5)
    .reverse();
  lines.push('', relevant.length ? 'Recent incidents:' : 'No recent incidents.');
  for (const i of relevant)
    lines.push(
      `- ${i.probes.join(', ')} on ${markdownLiteral(i.target)}: ${formatTime(i.openedAt)}, ${i.resolvedAt === null ? 'still open' : `resolved after ${formatDuration(i.resolvedAt - i.openedAt)}`}`,
    );
  return lines.join('\n');
}

export function helpAnswer(trigger: string, problem?: string): string {
  return [
    ...(problem ? [`${MARK.warning} ${problem}`, ''] : []),
    `#### /${trigger}`,
    `- \`/${trigger}\` or \`/${trigger} status\`: latest probe results (summed up per target when there are several), open incidents`,
    `- \`/${trigger} history [probe]\`: recent runs and incidents`,
    `- \`/${trigger} slo\`: service level objectives: attained, error budget left, burn rates; \`slo report\` posts this month's report in the log channel, \`slo ack [slo]\` acknowledges a burn-rate alert (system admins)`,
    `- \`/${trigger} run\`: run every probe now (system admins; the answer follows when done)`,
    `- \`/${trigger} mute <duration> [probe]\`: hold alerts, e.g. \`mute 2h\` or \`mute 30m login\` (system admins)`,
    `- \`/${trigger} unmute\`: end every mute now (system admins)`,
    `- \`/${trigger} ack [target]\`: acknowledge the open incident (of that target): reminders stop; as its Acknowledge button`,
    `- \`/${trigger} help\`: this text`,
  ].join('\n');
}
