// The "slos" setting: service level objectives of the config file (or the defaults, or none with
// HEALTHCHECK_SLOS=off). Part of the one config schema (schema.ts); checked with every other setting.
import {z} from 'zod';
import {DEFAULT_SLOS, SERVICE_NAMES, SERVICES, SLO_KINDS, type Slo} from '../slo/definitions';
import {parseDuration} from './duration';

const DAY = 86_400_000;

/** "99.9", 99.9 or "99.9%": a percentage above 50 and below 100. */
const percent = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const n = typeof value === 'number' ? value : Number(value.trim().replace(/%$/, ''));
  if (!Number.isFinite(n) || n <= 50 || n >= 100) {
    ctx.addIssue({code: 'custom', message: `expected a percentage above 50 and below 100 (such as 99.9), got "${value}"`});
    return z.NEVER;
  }
  return Number((n / 100).toFixed(8));
});

const span = (minMs: number, maxMs: number, what: string) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const parsed = parseDuration(value, maxMs);
    if (!parsed.ok || parsed.ms < minMs) {
      ctx.addIssue({code: 'custom', message: parsed.ok ? `expected ${what}, got "${value}"` : parsed.message});
      return z.NEVER;
    }
    return parsed.ms;
  });

export function sloSchema(probeNames: readonly string[]) {
  const probe = z.string().refine((v) => probeNames.includes(v), {message: `unknown probe; known probes: ${probeNames.join(', ')}`});
  return z.strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,47}$/, 'expected 1–48 lowercase letters, digits, "_" or "-" (it names metrics and alerts)'),
    service: z.enum(SERVICE_NAMES).optional(),
    probes: z.array(probe).min(1, 'name at least one probe').optional(),
    target: z.string().optional(),
    kind: z.enum(SLO_KINDS).default('availability'),
    objective: percent,
    // The hourly rollups reach back 90 days; an hour is the shortest window whose burn windows still hold runs.
    window: span(3_600_000, 90 * DAY, 'a window of 1h to 90d').default(30 * DAY),
    threshold: span(1, 600_000, 'a latency threshold up to 10m').optional(),
  });
}

/** off (or false): no objectives; default (or on, or unset): DEFAULT_SLOS; a list: those. */
export function slosSetting(probeNames: readonly string[]) {
  const list = z.array(sloSchema(probeNames));
  // Not a union: a union names no more than "Invalid input" when a list entry is wrong.
  return z
    .unknown()
    .optional()
    .transform((value, ctx): 'off' | 'default' | z.output<typeof list> => {
      if (value === undefined || value === true || value === 'on' || value === 'default') return 'default';
      if (value === false || value === 'off') return 'off';
      if (!Array.isArray(value)) {
        ctx.addIssue({code: 'custom', message: 'expected "off", "default" or a list of objectives (in the config file)'});
        return z.NEVER;
      }
      const parsed = list.safeParse(value);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) ctx.addIssue({code: 'custom', message: issue.message, path: issue.path as (string | number)[]});
      // What the fields alone do not show, listed with their problems (targets are checked once the fields are right).
      for (const issue of sloProblems(value, null)) ctx.addIssue({code: 'custom', message: issue.message, path: issue.path.slice(1) as (string | number)[]});
      return z.NEVER;
    });
}

type SloEntry = z.output<ReturnType<typeof sloSchema>>;
type Issue = {path: (string | number)[]; message: string};

/** Problems no single field shows: a missing probe list, a latency objective without threshold, a name used twice, an unknown target. */
export function sloProblems(slos: unknown, targets: readonly string[] | null): Issue[] {
  if (!Array.isArray(slos)) return [];
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const thresholds = new Map<string, number>();
  (slos as Partial<SloEntry>[]).forEach((s, i) => {
    if (typeof s !== 'object' || s === null) return;
    const at = (key: string) => ['slos', i, key];
    if (typeof s.name === 'string') {
      if (seen.has(s.name)) issues.push({path: at('name'), message: `SLO name "${s.name}" is used twice`});
      seen.add(s.name);
    }
    if (!s.service && !s.probes) issues.push({path: at('probes'), message: 'name the service (login, post, search, realtime) or the probes it covers'});
    if (s.kind === 'latency' && s.threshold === undefined) issues.push({path: at('threshold'), message: 'a latency objective needs a threshold (such as "2s")'});
    if (s.kind !== 'latency' && s.threshold !== undefined) issues.push({path: at('threshold'), message: 'a threshold is only for kind "latency"'});
    if (targets && typeof s.target === 'string' && !targets.includes(s.target)) issues.push({path: at('target'), message: `no target is named "${s.target}"`});
    // Raw entries (when other fields failed) still hold the threshold as written.
    const raw: unknown = s.threshold;
    const parsed = typeof raw === 'number' || typeof raw === 'string' ? parseDuration(raw) : null;
    const threshold = parsed?.ok ? parsed.ms : null;
    const probes = Array.isArray(s.probes) ? s.probes : typeof s.service === 'string' && s.service in SERVICES ? SERVICES[s.service] : [];
    if (s.kind === 'latency' && threshold !== null) {
      for (const p of probes) {
        const other = thresholds.get(p);
        // The hourly rollups count the runs over one threshold a probe.
        if (other !== undefined && other !== threshold)
          issues.push({path: at('threshold'), message: `probe ${p} already has a latency objective with another threshold (${other} ms); one threshold a probe`});
        thresholds.set(p, threshold);
      }
    }
  });
  return issues;
}

/** The objectives in force. */
export function resolveSlos(value: z.output<ReturnType<typeof slosSetting>>): Slo[] {
  if (value === 'off') return [];
  if (!Array.isArray(value)) return DEFAULT_SLOS.map((s) => ({...s, probes: [...s.probes]}));
  return value.map((s) => ({
    name: s.name,
    service: s.service ?? null,
    probes: s.probes ?? [...SERVICES[s.service as keyof typeof SERVICES]],
    target: s.target ?? null,
    kind: s.kind,
    objective: s.objective,
    windowMs: s.window,
    thresholdMs: s.threshold ?? null,
  }));
}
