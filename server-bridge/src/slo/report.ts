// The objectives in the report post (the System Console panel's SLO table and chart).
import type {SloReport} from '../contract/report';
import {BURN_WINDOWS} from './definitions';
import {budgetOverTime, type SloHistory} from './evaluate';
import type {SloService} from './service';

const round = (n: number | null, digits = 6) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

export function sloReports(service: Pick<SloService, 'current' | 'openAlerts'>, history: SloHistory, now: number): SloReport[] {
  const open = service.openAlerts();
  return service.current().map((s) => ({
    name: s.slo.name,
    kind: s.slo.kind,
    objective: s.slo.objective,
    windowMs: s.slo.windowMs,
    thresholdMs: s.slo.thresholdMs,
    attained: round(s.attained),
    budgetLeft: round(s.budgetLeft, 4),
    observedMs: Math.round(s.observedMs),
    burnWindows: BURN_WINDOWS.map((w) => w.label),
    burn: BURN_WINDOWS.map((w) => round(s.burn[w.label], 3)),
    budget: budgetOverTime(history, s.slo, now, 30),
    alert: open.find((a) => a.slo === s.slo.name)?.severity ?? null,
  }));
}
