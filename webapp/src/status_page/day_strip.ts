// The status page's 90 daily bars per service, from the report's hour strips: each hour goes to
// the day it begins in, in the user's time zone (so a day of a daylight-saving change has 23 or
// 25 hours); a day's uptime is over the minutes observed in it, a day nobody watched has none.
import {decodeStrip, type Strips} from '@contract';

export interface Day {
  /** YYYY-MM-DD in the user's time zone. */
  date: string;
  /** Minutes observed, and the share of them that worked (null: none observed). */
  observedMin: number;
  uptime: number | null;
}

const HOUR = 3_600_000;

/** The local date of each hour start, one Intl call an hour (shared by every service). */
export function dayKeys(start: number, hours: number, timeZone?: string): string[] {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-CA', {timeZone, year: 'numeric', month: '2-digit', day: '2-digit'});
  } catch {
    // An unknown zone name: the browser's own.
    format = new Intl.DateTimeFormat('en-CA', {year: 'numeric', month: '2-digit', day: '2-digit'});
  }
  const keys: string[] = [];
  for (let i = 0; i < hours; i++) {
    const parts = format.formatToParts(start + i * HOUR);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    keys.push(`${get('year')}-${get('month')}-${get('day')}`);
  }
  return keys;
}

/** The last `days` days (today last) of one service's strip; null when the strip cannot be read. */
export function daysOf(strip: string, keys: readonly string[], days = 90): Day[] | null {
  const hours = decodeStrip(strip);
  if (!hours || hours.length !== keys.length) return null;
  const byDay = new Map<string, {observed: number; bad: number}>();
  hours.forEach((h, i) => {
    const key = keys[i] as string;
    const d = byDay.get(key) ?? {observed: 0, bad: 0};
    d.observed += h.observedMin;
    d.bad += h.badMin;
    byDay.set(key, d);
  });
  const ordered = [...new Set(keys)].slice(-days);
  return ordered.map((date) => {
    const d = byDay.get(date) ?? {observed: 0, bad: 0};
    return {date, observedMin: d.observed, uptime: d.observed > 0 ? Math.max(0, 1 - d.bad / d.observed) : null};
  });
}

/** Every service's days, keyed by service. */
export function stripsByService(strips: Strips, timeZone?: string, days = 90): Map<string, Day[]> {
  const keys = dayKeys(strips.start, strips.hours, timeZone);
  const out = new Map<string, Day[]>();
  for (const s of strips.services) {
    const d = daysOf(s.hours, keys, days);
    if (d) out.set(s.key, d);
  }
  return out;
}
