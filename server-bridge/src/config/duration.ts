// Durations in settings: "250ms", "30s", "5m", "2h", "7d" (a JSON number is milliseconds).
const UNITS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/** Node's timers hold at most 2^31−1 ms (24.8 days) and fire at once beyond it: a timer setting stays within 24 days. */
export const MAX_TIMER_MS = 24 * 86_400_000;

/** Milliseconds for a duration of at most maxMs, or an error message saying what was expected. */
export function parseDuration(value: unknown, maxMs: number = MAX_TIMER_MS): {ok: true; ms: number} | {ok: false; message: string} {
  const parsed = parseAny(value);
  if (!parsed.ok || parsed.ms <= maxMs) return parsed;
  return {ok: false, message: `expected at most ${compactDuration(maxMs)}, got ${typeof value === 'number' ? `${value} ms` : `"${value}"`}`};
}

function parseAny(value: unknown): {ok: true; ms: number} | {ok: false; message: string} {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value > 0 ? {ok: true, ms: value} : {ok: false, message: `expected a positive number of milliseconds, got ${value}`};
  }
  if (typeof value !== 'string') return {ok: false, message: `expected a duration such as "30s", got ${typeof value}`};
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
  if (!m) return {ok: false, message: `expected a duration such as "250ms", "30s", "5m", "2h" or "7d", got "${value}"`};
  const ms = Number(m[1]) * (UNITS[m[2] as string] as number);
  return ms > 0 ? {ok: true, ms} : {ok: false, message: `expected a duration above zero, got "${value}"`};
}

/** "90000" ms → "1m30s": in the form settings are written, for messages about settings. */
export function compactDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}
