// Builds the report the webapp and /healthcheck read: the latest result of every probe and
// target with its reasons, rolling 24 h aggregates and the bucketed series, in the contract's shape.
import {randomBytes} from 'node:crypto';
import {setImmediate as yieldToLoop} from 'node:timers/promises';
import {REPORT_SCHEMA, type IncidentSummary, type ProbeReport, type ProbeState, type Report} from '../contract/report';
import type {ResultHistory} from '../results/history';
import {roundMs} from '../results/aggregate';
import {HOUR_MS} from '../results/rollup';
import type {StateSource} from './states';

export type ReportReason = Report['reason'];

export interface ReportSources {
  history: ResultHistory;
  /** Every configured probe+target, in the order a reader expects them. */
  jobs: readonly {probe: string; target: string}[];
  targets: readonly {name: string; url: string}[];
  /** Reports go to a channel any team member reads: a target's URL is in them only when the admin opts in. */
  publishTargetUrls?: boolean;
  states: StateSource;
  /** Open and recently resolved incidents (the incident engine's seam). */
  incidents?: () => IncidentSummary[];
  mutedUntil?: () => number | null;
  /** Objectives and the 90-day strips (issue 24), when the bridge has them. */
  extras?: (now: number) => Pick<Report, 'slos' | 'strips'>;
  /** Several bridges: each one and when it last reported. */
  bridges?: () => NonNullable<Report['bridges']>;
}

export interface ReportMeta {
  now: number;
  reason: ReportReason;
  heartbeatIntervalMs: number;
  bridgeVersion: string;
  id?: string;
}

const RANK: Record<Exclude<ProbeState, 'not_configured'>, number> = {ok: 0, unknown: 1, degraded: 2, failing: 3};

export function overallOf(states: readonly ProbeState[]): Report['overall'] {
  const measured = states.filter((s): s is Exclude<ProbeState, 'not_configured'> => s !== 'not_configured');
  if (measured.length === 0) return 'unknown';
  return measured.reduce((worst, s) => (RANK[s] > RANK[worst] ? s : worst), 'ok' as Exclude<ProbeState, 'not_configured'>);
}

/** A probe's state in reports: not_configured when its settings are missing, else the state source's. */
export function probeState(sources: Pick<ReportSources, 'history' | 'states'>, probe: string, target: string): ProbeState {
  return sources.history.latest(probe, target)?.notConfigured ? 'not_configured' : sources.states.stateOf(probe, target).state;
}

/** Changes whenever any configured probe's state changes (the poster compares it). */
export function stateSignature(sources: Pick<ReportSources, 'history' | 'states' | 'jobs'>): string {
  return sources.jobs.map((j) => probeState(sources, j.probe, j.target)).join(',');
}

function probeReport(sources: ReportSources, probe: string, target: string, now: number): ProbeReport {
  const latest = sources.history.latest(probe, target);
  const view = sources.states.stateOf(probe, target);
  const state = probeState(sources, probe, target);
  const agg = sources.history.aggregate(probe, target, now);
  const week = sources.history.rollupOf(probe, target)?.totals(Math.floor((now - 7 * 86_400_000) / HOUR_MS) + 1, Math.floor(now / HOUR_MS));
  const day = sources.history.rollupOf(probe, target)?.totals(Math.floor((now - 86_400_000) / HOUR_MS) + 1, Math.floor(now / HOUR_MS));
  const lastFailure = sources.history.lastFailure(probe, target);
  const report: ProbeReport = {
    probe,
    target,
    state,
    since: view.since,
    ok: latest?.ok ?? false,
    durationMs: latest && !latest.notConfigured ? roundMs(latest.durationMs) : null,
    startedAt: latest?.startedAt ?? null,
    // Readers show only failed checks: the passed ones would be much of a many-target report's size.
    checks: (latest?.checks ?? []).filter((c) => !c.ok),
    uptime24h: agg.uptime,
    p50Ms: agg.p50Ms,
    p95Ms: agg.p95Ms,
    runs24h: agg.runs,
    failures24h: agg.failures,
    lastFailureAt: lastFailure?.at ?? null,
    // Figures over observed time only, with that time (hours nobody watched count neither way).
    observed24hMs: Math.round(day?.observedMs ?? 0),
    uptime7d: week && week.runs > 0 ? Math.round(((week.runs - week.failures) / week.runs) * 1e6) / 1e6 : null,
    observed7dMs: Math.round(week?.observedMs ?? 0),
  };
  if (latest?.notConfigured) report.error = `not configured: needs ${latest.notConfigured.join(', ')}`;
  else if (latest?.error) report.error = latest.error;
  if (lastFailure) report.lastFailureReason = lastFailure.reason;
  return report;
}

/** The server version a target's probes last saw (ping records it from X-Version-Id). */
function serverVersion(sources: ReportSources, target: string): string | null {
  for (const job of sources.jobs) {
    if (job.target !== target) continue;
    const version = sources.history.latest(job.probe, target)?.facts?.serverVersion;
    if (typeof version === 'string' && version) return version;
  }
  return null;
}

export function buildReport(sources: ReportSources, meta: ReportMeta): Report {
  return assemble(
    sources,
    meta,
    sources.jobs.map((j) => probeReport(sources, j.probe, j.target, meta.now)),
  );
}

/**
 * The same report, built a few milliseconds at a time with the event loop served in between: at
 * 50 targets x 9 probes a day of runs takes tens of milliseconds to aggregate.
 */
export async function buildReportInSlices(sources: ReportSources, meta: ReportMeta, sliceMs = 4): Promise<Report> {
  const probes: ProbeReport[] = [];
  let sliceStart = performance.now();
  for (const j of sources.jobs) {
    probes.push(probeReport(sources, j.probe, j.target, meta.now));
    if (performance.now() - sliceStart > sliceMs) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
  return assemble(sources, meta, probes);
}

function assemble(sources: ReportSources, meta: ReportMeta, probes: ProbeReport[]): Report {
  return {
    schema: REPORT_SCHEMA,
    id: meta.id ?? `rep_${meta.now}_${randomBytes(6).toString('hex')}`,
    generatedAt: meta.now,
    reason: meta.reason,
    heartbeatIntervalMs: meta.heartbeatIntervalMs,
    bridgeVersion: meta.bridgeVersion,
    overall: overallOf(probes.map((p) => p.state)),
    mutedUntil: sources.mutedUntil?.() ?? null,
    targets: sources.targets.map((t) => ({name: t.name, ...(sources.publishTargetUrls ? {url: t.url} : {}), serverVersion: serverVersion(sources, t.name)})),
    probes,
    series: sources.history.series(meta.now, sources.jobs),
    incidents: sources.incidents?.() ?? [],
    ...sources.extras?.(meta.now),
    ...(sources.bridges ? {bridges: sources.bridges().slice(0, 20)} : {}),
  };
}

/** Mattermost's default request limit (ServiceSettings.MaximumPayloadSizeBytes). */
export const MM_DEFAULT_MAX_PAYLOAD_BYTES = 300_000;
/** Bytes of the report in the POST body, leaving room for its message and what the outbox adds. */
export const MAX_REPORT_BYTES = 250_000;

const bytesOf = (report: Report) => Buffer.byteLength(JSON.stringify(report));

/**
 * A report that fits in a post. With very many targets the chart series go first: those of healthy
 * probes, then all (the poster logs it; 50 targets with four probes each stay far below the limit).
 */
export function fitReport(report: Report, maxBytes = MAX_REPORT_BYTES): {report: Report; trimmed: boolean} {
  if (bytesOf(report) <= maxBytes) return {report, trimmed: false};
  const troubled = new Set(report.probes.filter((p) => p.state !== 'ok' && p.state !== 'not_configured').map((p) => `${p.target}/${p.probe}`));
  const partial = {...report, series: {...report.series, probes: report.series.probes.filter((s) => troubled.has(`${s.target}/${s.probe}`))}};
  if (bytesOf(partial) <= maxBytes) return {report: partial, trimmed: true};
  const bare = {...report, series: {...report.series, probes: []}};
  if (bytesOf(bare) <= maxBytes) return {report: bare, trimmed: true};
  // Then the 90-day strips and the objectives' budget charts (their figures stay).
  const {strips: _strips, ...noStrips} = bare;
  return {report: {...noStrips, ...(bare.slos ? {slos: bare.slos.map((s) => ({...s, budget: []}))} : {})}, trimmed: true};
}
