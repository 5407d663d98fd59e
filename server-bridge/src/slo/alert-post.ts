// The root post of an SLO burn-rate alert: Markdown any client reads (mobile, notifications) and,
// in its props, what the webapp's card shows (contract/slo-alert.ts), signed where it leaves.
import {SLO_ALERT_POST_TYPE, SLO_ALERT_PROP, SLO_ALERT_SCHEMA, type SloAlertData} from '../contract';
import {formatDuration, formatTime} from '../text/format';
import {userMention} from '../text/markdown';
import {BURN_ALERT_RULES, burnThreshold, scaledWindowMs, type BurnAlertRule, type Slo} from './definitions';
import type {SloStatus} from './evaluate';
import type {SloAlert} from './burn-alerts';
import {burnText, pct, sloLabel} from './slo-text';

export interface SloRootPost {
  message: string;
  type: string;
  props: Record<string, unknown>;
}

const ruleOf = (alert: SloAlert) => BURN_ALERT_RULES.find((r) => r.id === alert.rule) as BurnAlertRule;

/** The card's data; without a status (the objective is no longer configured) its figures are unknown. */
export function sloAlertData(alert: SloAlert, s: SloStatus | null, closedNote?: string): SloAlertData {
  const rule = ruleOf(alert);
  const slo: Slo | null = s?.slo ?? null;
  return {
    schema: SLO_ALERT_SCHEMA,
    alertId: alert.id,
    slo: alert.slo,
    kind: slo?.kind ?? null,
    probes: slo ? [...slo.probes] : [],
    severity: alert.severity,
    state: alert.resolvedAt === null ? 'open' : 'resolved',
    objective: slo?.objective ?? null,
    windowMs: slo?.windowMs ?? null,
    burnRate: s?.burn[rule.long] ?? null,
    burnWindowMs: slo ? scaledWindowMs(slo, rule.long) : null,
    threshold: burnThreshold(rule),
    peakBurn: alert.peakBurn,
    budgetLeft: s?.budgetLeft ?? null,
    openedAt: alert.openedAt,
    resolvedAt: alert.resolvedAt,
    ...(closedNote ? {closedNote} : {}),
    ...(alert.ack ? {ack: {...alert.ack}} : {}),
  };
}

const post = (message: string, data: SloAlertData): SloRootPost => ({message, type: SLO_ALERT_POST_TYPE, props: {[SLO_ALERT_PROP]: data}});

/** The root post: on open, when it escalates or is acknowledged, and once resolved. */
export function rootPost(alert: SloAlert, s: SloStatus): SloRootPost {
  const rule = ruleOf(alert);
  const slo: Slo = s.slo;
  const long = formatDuration(scaledWindowMs(slo, rule.long));
  const short = formatDuration(scaledWindowMs(slo, rule.short));
  const head =
    alert.resolvedAt !== null
      ? `:white_check_mark: **Resolved** error budget alert: ${slo.name} (burned for ${formatDuration(alert.resolvedAt - alert.openedAt)})`
      : alert.severity === 'page'
        ? `:rotating_light: **Error budget burning fast**: ${slo.name}`
        : `:warning: **Error budget burning** (ticket): ${slo.name}`;
  const lines = [
    head,
    sloLabel(slo),
    `Burn rate ${burnText(s.burn[rule.long])} over ${long} and ${burnText(s.burn[rule.short])} over ${short} (threshold ${burnText(burnThreshold(rule))}: ${pct(rule.budgetShare, 0)} of the budget within ${long}); peak ${burnText(alert.peakBurn)}.`,
    `Budget left ${pct(s.budgetLeft, 1)} · attained ${pct(s.attained, 3)} · since ${formatTime(alert.openedAt)}`,
  ];
  if (alert.ack) lines.push(`Acknowledged by ${userMention(alert.ack.by)} at ${formatTime(alert.ack.at)}.`);
  return post(lines.join('\n'), sloAlertData(alert, s));
}

/** The root of an alert closed because its objective is no longer configured. */
export function closedRootPost(alert: SloAlert, note: string): SloRootPost {
  return post(`~~Error budget alert~~ ${alert.slo}: closed (${note})`, sloAlertData(alert, null, note));
}
