// The bridge's settings: one zod schema, the only source of the Config type. Probe names and
// their default interval/timeout come from the probe registry, passed in (never listed twice).
import {z} from 'zod';
import {MAX_TIMER_MS, parseDuration} from './duration';
import {resolveSlos, sloProblems, slosSetting} from './slo-schema';
import {signingKeyFrom} from '../signing/post-signer';

const isSigningKey = (text: string) => {
  try {
    return !!signingKeyFrom(text);
  } catch {
    return false;
  }
};

export interface ProbeDefaults {
  name: string;
  defaultIntervalMs: number;
  defaultTimeoutMs: number;
}

/** Who may press an incident button: system admins, or members of the ops channel. */
export const ACTION_ROLES = ['system_admin', 'ops_channel'] as const;

/** The interval of every probe without its own, unless the probe declares a longer default. */
export const DEFAULT_INTERVAL_MS = 60_000;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const boundedDuration = (maxMs: number) =>
  z.union([z.number(), z.string()]).transform((value, ctx) => {
    const parsed = parseDuration(value, maxMs);
    if (!parsed.ok) {
      ctx.addIssue({code: 'custom', message: parsed.message});
      return z.NEVER;
    }
    return parsed.ms;
  });

/** Every duration but the retention drives a timer: at most 24 days. */
const duration = boundedDuration(MAX_TIMER_MS);
/** The retention is only compared with post dates, never waited for. */
const retentionDuration = boundedDuration(3650 * 86_400_000);

const count = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const n = typeof value === 'number' ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0) {
    ctx.addIssue({code: 'custom', message: `expected a whole number ≥ 0, got "${value}"`});
    return z.NEVER;
  }
  return n;
});

const ratio = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const n = typeof value === 'number' ? value : value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 0.5) {
    ctx.addIssue({code: 'custom', message: `expected a fraction of the interval between 0 and 0.5, got "${value}"`});
    return z.NEVER;
  }
  return n;
});

const threshold = count.refine((n) => n >= 1, {message: 'expected a whole number ≥ 1'});

/** Slash command tokens, each naming its team: "team:token,team:token" (checked with the teams below). */
const tokenList = z.union([z.array(z.string()), z.string()]).transform((v) =>
  (Array.isArray(v) ? v : v.split(','))
    .map((t) => t.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^([^:\s]+):(\S+)$/.exec(entry);
      return m ? {team: m[1] as string, token: m[2] as string} : {team: null, token: entry};
    }),
);

const httpUrl = z
  .string()
  .refine((v) => /^https?:\/\/[^\s/]+/.test(v) && URL.canParse(v), {message: 'expected an http:// or https:// URL'})
  // Credentials in a URL end up in logs, errors and posts; the bridge's secrets have their own settings.
  .refine((v) => !URL.canParse(v) || (!new URL(v).username && !new URL(v).password), {message: 'must not contain a user name or password (user:pass@); give credentials through their own settings'});

const listen = z.string().transform((value, ctx) => {
  const m = /^(.+):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) {
    ctx.addIssue({code: 'custom', message: `expected HOST:PORT, got "${value}"`});
    return z.NEVER;
  }
  return {host: (m[1] as string).replace(/^\[(.*)\]$/, '$1'), port};
});

/** The PostgreSQL store of several bridges: postgres://user:password@host:port/database (its password is a secret). */
const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\/\S+/.test(v) && URL.canParse(v), {message: 'expected a postgres:// or postgresql:// URL (postgres://user:password@host:5432/database)'});

const name = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1–64 letters, digits, ".", "_" or "-"');
const text = z.string().trim().min(1, 'must not be empty');
/** The admins' words for the notice: one line of plain text; {services} and {since} are filled in. */
export const noticeText = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'expected at most 200 characters')
  .regex(/^[^\n\r]*$/, 'expected one line');

export const targetSchema = z.strictObject({
  name,
  url: httpUrl,
  team: text.optional(),
  botToken: text.optional(),
  adminToken: text.optional(),
  probeUsername: text.optional(),
  probePassword: text.optional(),
  probeChannel: text.optional(),
  searchUsersTerm: text.optional(),
  searchUsersMin: count.optional(),
  searchChannelsTerm: text.optional(),
  searchChannelsMin: count.optional(),
  pushDeviceId: z
    .string()
    .regex(/^[a-z0-9_-]{1,64}:\S{1,4096}$/, 'expected PLATFORM:TOKEN, e.g. android_rn-v2:<device token>')
    .optional(),
});

export type TargetConfig = z.output<typeof targetSchema>;

export interface ResolvedProbe {
  name: string;
  enabled: boolean;
  intervalMs: number;
  timeoutMs: number;
}

export function configSchema(probes: readonly ProbeDefaults[]) {
  const names = probes.map((p) => p.name);
  const probeName = z.string().refine((v) => names.includes(v), {message: `unknown probe; known probes: ${names.join(', ')}`});
  const probeSettings = z.strictObject({
    enabled: z.boolean().optional(),
    interval: duration.optional(),
    timeout: duration.optional(),
    latencyBudget: duration.optional(),
    failureThreshold: threshold.optional(),
    successThreshold: threshold.optional(),
  });

  return (
    z
      .strictObject({
        listen: listen.default({host: '127.0.0.1', port: 8075}),
        // /metrics (with /healthz and /readyz) on an address of its own; the main one then serves no /metrics.
        metricsListen: listen.optional(),
        publicUrl: httpUrl.optional(),
        stateFile: text.optional(),
        store: postgresUrl.optional(),
        instance: name.optional(),
        quorum: threshold.default(1),
        lease: duration.default(15_000),
        voteWindow: duration.optional(),
        resultsSaveInterval: duration.default(900_000),
        logLevel: z.enum(LOG_LEVELS).default('info'),
        teams: z.array(text).min(1, 'at least one team is required (comma-separated team names)'),
        opsChannel: text.default('healthcheck-ops'),
        logChannel: text.default('healthcheck-log'),
        homeTarget: name.optional(),
        heartbeat: duration.default(300_000),
        retention: retentionDuration.default(7 * 86_400_000),
        retentionSweep: duration.default(3_600_000),
        reportMinInterval: duration.default(10_000),
        jitter: ratio.default(0.1),
        interval: duration.optional(),
        timeout: duration.optional(),
        retryInterval: duration.default(30_000),
        enabledProbes: z.array(probeName).optional(),
        probes: z.record(z.string(), probeSettings).optional(),
        targets: z.array(targetSchema).min(1, 'at least one target is required (HEALTHCHECK_MM_URL or "targets" in the config file)'),
        failureThreshold: threshold.default(2),
        successThreshold: threshold.default(2),
        latencyBudget: duration.optional(),
        reminderInterval: duration.default(1_800_000),
        maxReminders: count.default(6),
        slashTrigger: z
          .string()
          .regex(/^[a-z0-9_-]{1,128}$/, 'expected a lowercase trigger without "/" or spaces')
          .default('healthcheck'),
        slashTokens: tokenList.optional(),
        reportTargetUrls: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(false),
        actionSecret: z.string().min(32, 'expected at least 32 characters').optional(),
        signingKey: z.string().refine(isSigningKey, {message: 'expected the EC P-256 private key setup wrote (signing-key in its --secrets-dir)'}).optional(),
        ackRole: z.enum(ACTION_ROLES).default('ops_channel'),
        muteRole: z.enum(ACTION_ROLES).default('system_admin'),
        // 0: an acknowledged incident gets no more reminders.
        ackReminderInterval: z.union([z.literal(0), z.literal('0'), duration]).default(0),
        notice: z.union([z.boolean(), z.enum(['on', 'off']).transform((v) => v === 'on')]).default(true),
        noticeText: noticeText.optional(),
        // Service level objectives (slo-schema.ts): the defaults unless switched off or listed.
        slos: slosSetting(names),
      })
      // Target checks run even when other settings failed, so every problem is listed at once; the
      // value may then be partly invalid, hence the defensive reads.
      .check(
        z.superRefine(
          (c, ctx) => {
            const targets = Array.isArray(c.targets) ? c.targets.filter((t) => typeof t === 'object' && t !== null) : [];
            const seen = new Set<string>();
            targets.forEach((t, i) => {
              if (typeof t.name === 'string' && seen.has(t.name)) ctx.addIssue({code: 'custom', path: ['targets', i, 'name'], message: `target name "${t.name}" is used twice`});
              seen.add(t.name);
            });
            const teams = Array.isArray(c.teams) ? c.teams : [];
            // An entry is a secret: a problem says which one and what is wrong, never what it holds.
            (Array.isArray(c.slashTokens) ? c.slashTokens : []).forEach((t, i) => {
              if (t.team === null) ctx.addIssue({code: 'custom', path: ['slashTokens'], message: `entry ${i + 1}: expected TEAM:TOKEN (the team's name, a colon, that team's command token)`});
              // Not echoed: a reversed TOKEN:TEAM entry would put the token in the error.
              else if (!teams.includes(t.team))
                ctx.addIssue({code: 'custom', path: ['slashTokens'], message: `entry ${i + 1} names a team that is not in HEALTHCHECK_TEAMS (${teams.join(', ')}); entries are TEAM:TOKEN`});
            });
            const home = typeof c.homeTarget === 'string' ? targets.find((t) => t.name === c.homeTarget) : targets[0];
            const main = typeof c.listen === 'object' && c.listen !== null ? c.listen : {host: '127.0.0.1', port: 8075};
            const metrics = typeof c.metricsListen === 'object' && c.metricsListen !== null ? c.metricsListen : null;
            if (metrics && metrics.port !== 0 && metrics.port === main.port) {
              ctx.addIssue({code: 'custom', path: ['metricsListen'], message: `port ${metrics.port} is the port of HEALTHCHECK_LISTEN; give /metrics a port of its own`});
            }
            if (typeof c.quorum === 'number' && c.quorum > 1 && !c.store) {
              ctx.addIssue({code: 'custom', path: ['quorum'], message: `a quorum of ${c.quorum} bridges needs HEALTHCHECK_STORE (their votes meet in the database)`});
            }
            if (c.store && c.publicUrl && !c.actionSecret) {
              ctx.addIssue({
                code: 'custom',
                path: ['actionSecret'],
                message: 'several bridges behind one public URL sign and check the incident buttons with one key: set HEALTHCHECK_ACTION_SECRET on each',
              });
            }
            for (const issue of sloProblems(
              c.slos,
              targets.map((t) => t.name),
            ))
              ctx.addIssue({code: 'custom', ...issue});
            if (typeof c.homeTarget === 'string' && !home) ctx.addIssue({code: 'custom', path: ['homeTarget'], message: `no target is named "${c.homeTarget}"`});
            if (home && !home.botToken) {
              const i = targets.indexOf(home);
              ctx.addIssue({code: 'custom', path: ['targets', i, 'botToken'], message: `the bot token of target "${home.name}" is required: the bridge posts its reports as the bot`});
            }
          },
          {when: (payload) => typeof payload.value === 'object' && payload.value !== null},
        ),
      )
      .superRefine((c, ctx) => {
        for (const key of Object.keys(c.probes ?? {})) {
          if (!names.includes(key)) ctx.addIssue({code: 'custom', path: ['probes', key], message: `unknown probe; known probes: ${names.join(', ')}`});
        }
        for (const p of resolveProbes(probes, c)) {
          if (p.enabled && p.timeoutMs > p.intervalMs) {
            ctx.addIssue({code: 'custom', path: ['probes', p.name, 'timeout'], message: `timeout of ${p.name} (${p.timeoutMs} ms) is longer than its interval (${p.intervalMs} ms)`});
          }
        }
      })
      .transform((c) => {
        const home = (c.homeTarget ? c.targets.find((t) => t.name === c.homeTarget) : c.targets[0]) as TargetConfig;
        return {
          listen: c.listen,
          /** Where /metrics is served when not on `listen` (null: on `listen`). */
          metricsListen: c.metricsListen ?? null,
          publicUrl: c.publicUrl,
          stateFile: c.stateFile,
          /** Several bridges: the shared PostgreSQL store, this bridge's name (default: the host name), the votes an incident needs, the leader's lease. */
          ha: c.store ? {store: c.store, instance: c.instance ?? null, quorum: c.quorum, leaseMs: c.lease, voteWindowMs: c.voteWindow ?? null} : null,
          /** How often the 24 h results are written beside the state file. */
          resultsSaveIntervalMs: c.resultsSaveInterval,
          logLevel: c.logLevel,
          teams: c.teams,
          opsChannel: c.opsChannel,
          logChannel: c.logChannel,
          /** The target whose server receives the report (and incident) posts. */
          home: {...home, team: home.team ?? (c.teams[0] as string)},
          heartbeatMs: c.heartbeat,
          retentionMs: c.retention,
          retentionSweepMs: c.retentionSweep,
          reportMinIntervalMs: c.reportMinInterval,
          jitter: c.jitter,
          /** After a failed run a probe runs again this soon (when shorter than its interval). */
          retryIntervalMs: c.retryInterval,
          probes: resolveProbes(probes, c),
          targets: c.targets.map((t) => ({...t, team: t.team ?? (c.teams[0] as string)})),
          /** Incident rules: thresholds and latency budgets (per probe over the defaults), reminders. */
          incidents: {
            defaults: {failureThreshold: c.failureThreshold, successThreshold: c.successThreshold, latencyBudgetMs: c.latencyBudget ?? null},
            perProbe: Object.fromEntries(
              Object.entries(c.probes ?? {}).map(([name, p]) => [name, {failureThreshold: p.failureThreshold, successThreshold: p.successThreshold, latencyBudgetMs: p.latencyBudget}]),
            ),
            reminderIntervalMs: c.reminderInterval,
            maxReminders: c.maxReminders,
            ackReminderIntervalMs: Number(c.ackReminderInterval),
          },
          slash: {trigger: c.slashTrigger, tokens: (c.slashTokens ?? []).map((t) => ({team: t.team as string, token: t.token}))},
          /** The incident buttons: their token key (else kept beside the state file), who may press which. */
          actions: {secret: c.actionSecret, ackRole: c.ackRole, muteRole: c.muteRole},
          /** The key reports and alerts are signed with; its public half is in the trust declaration (setup). */
          signingKey: c.signingKey,
          /** Reports name targets; their URLs (often internal) only when the admin opts in. */
          reportTargetUrls: c.reportTargetUrls,
          /** The degraded-service notice every user sees (through the bot's status), and the admins' words for it. */
          notice: {enabled: c.notice, text: c.noticeText},
          /** Service level objectives, each on the home target unless it names one. */
          slos: resolveSlos(c.slos).map((slo) => ({...slo, target: slo.target ?? home.name})),
        };
      })
  );
}

function resolveProbes(
  probes: readonly ProbeDefaults[],
  c: {interval?: number; timeout?: number; enabledProbes?: string[]; probes?: Record<string, {enabled?: boolean; interval?: number; timeout?: number}>},
): ResolvedProbe[] {
  return probes.map((p) => {
    const own = c.probes?.[p.name] ?? {};
    const general = p.defaultIntervalMs > DEFAULT_INTERVAL_MS ? undefined : c.interval;
    return {
      name: p.name,
      enabled: own.enabled ?? (c.enabledProbes ? c.enabledProbes.includes(p.name) : true),
      intervalMs: own.interval ?? general ?? p.defaultIntervalMs,
      timeoutMs: own.timeout ?? c.timeout ?? p.defaultTimeoutMs,
    };
  });
}

export type Config = z.output<ReturnType<typeof configSchema>>;
