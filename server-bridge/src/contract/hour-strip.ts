// The hours of a service's strip as text: per hour two base-64 digits, the minutes observed and
// the minutes bad (failed share × observed, at least one when any run failed), runs of three or
// more equal hours as `<pair>~<count base 36>.`. 90 days at steady state are a few dozen bytes,
// at most 4,368 characters a service. No zod: the webapp's status page reads it.
const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export interface StripHour {
  observedMin: number;
  badMin: number;
}

const pair = (h: StripHour) => `${DIGITS[Math.max(0, Math.min(60, Math.round(h.observedMin)))]}${DIGITS[Math.max(0, Math.min(60, Math.round(h.badMin)))]}`;

export function encodeStrip(hours: readonly StripHour[]): string {
  let out = '';
  for (let i = 0; i < hours.length;) {
    const p = pair(hours[i] as StripHour);
    let j = i + 1;
    while (j < hours.length && pair(hours[j] as StripHour) === p) j++;
    out += j - i >= 3 ? `${p}~${(j - i).toString(36)}.` : p.repeat(j - i);
    i = j;
  }
  return out;
}

/** The hours back; null when the text is not a strip. */
export function decodeStrip(text: string): StripHour[] | null {
  const out: StripHour[] = [];
  for (let i = 0; i < text.length;) {
    const o = DIGITS.indexOf(text[i] ?? '');
    const b = DIGITS.indexOf(text[i + 1] ?? '');
    if (o < 0 || b < 0 || o > 60 || b > 60) return null;
    i += 2;
    let count = 1;
    if (text[i] === '~') {
      const end = text.indexOf('.', i);
      if (end < 0) return null;
      count = parseInt(text.slice(i + 1, end), 36);
      if (!Number.isInteger(count) || count < 1 || count > 10_000) return null;
      i = end + 1;
    }
    for (let k = 0; k < count; k++) out.push({observedMin: o, badMin: b});
    if (out.length > 10_000) return null;
  }
  return out;
}

/** One hour's pair from runs: observed minutes, and bad minutes as the failed share of them (at least 1 when any failed). */
export function stripHour(observedMs: number, runs: number, failures: number): StripHour {
  const observedMin = Math.min(60, observedMs / 60_000);
  if (runs === 0) return {observedMin: 0, badMin: 0};
  const bad = (failures / runs) * Math.max(1, observedMin);
  return {observedMin: Math.max(1, observedMin), badMin: failures > 0 ? Math.max(1, Math.min(60, Math.round(bad))) : 0};
}
