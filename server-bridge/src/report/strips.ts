// The status page's 90-day strips: per service users feel (the contract's SERVICES), per hour of
// the home target's rollups, the minutes observed and the minutes bad. Hours nobody watched stay
// empty (shown as no data, never as up).
import {SERVICE_KEYS, SERVICES} from '../contract/notice';
import {encodeStrip, stripHour} from '../contract/hour-strip';
import type {Strips} from '../contract/report';
import type {ResultHistory} from '../results/history';
import {HOUR_MS, ROLLUP_KEEP_HOURS} from '../results/rollup';

export function buildStrips(history: Pick<ResultHistory, 'rollupOf'>, target: string, now: number, hours = ROLLUP_KEEP_HOURS): Strips {
  const last = Math.floor(now / HOUR_MS);
  const first = last - hours + 1;
  const services: Strips['services'] = [];
  for (const key of SERVICE_KEYS) {
    const observed = new Float64Array(hours);
    const badShare = new Float64Array(hours);
    const anyFailed = new Uint8Array(hours);
    let seen = false;
    for (const probe of SERVICES[key]) {
      const rollup = history.rollupOf(probe, target);
      if (!rollup) continue;
      rollup.forEachHour(first, last, (hour, t) => {
        const i = hour - first;
        seen = true;
        // The service works when all its probes do: the worst probe's share, the longest watched time.
        observed[i] = Math.max(observed[i] as number, Math.max(t.observedMs, 60_000));
        badShare[i] = Math.max(badShare[i] as number, t.failures / t.runs);
        if (t.failures > 0) anyFailed[i] = 1;
      });
    }
    if (!seen) continue;
    const strip = Array.from({length: hours}, (_, i) =>
      observed[i] ? stripHour(observed[i] as number, 1000, anyFailed[i] ? Math.max(1, Math.round((badShare[i] as number) * 1000)) : 0) : {observedMin: 0, badMin: 0},
    );
    services.push({key, hours: encodeStrip(strip)});
  }
  return {start: first * HOUR_MS, hours, services};
}
