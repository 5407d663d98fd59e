// loadConfig(env, readFile): pure. Builds the raw settings from HEALTHCHECK_* variables (secrets
// also from *_FILE) and the optional JSON file, validates them with the one schema, and names
// every problem at once with the variable (or file key) it came from.
import {probeRegistry} from '../probes/registry';
import {configSchema, type Config, type ProbeDefaults} from './schema';

export type ReadFile = (file: string) => string;
export type LoadResult = {ok: true; config: Config; warnings: string[]} | {ok: false; problems: string[]; warnings: string[]};

type Raw = Record<string, unknown>;
type Kind = 'text' | 'list' | 'secret';

/** Top-level settings: schema key → variable. */
const TOP_LEVEL: readonly [string, string, Kind][] = [
  ['listen', 'HEALTHCHECK_LISTEN', 'text'],
  ['metricsListen', 'HEALTHCHECK_METRICS_LISTEN', 'text'],
  ['publicUrl', 'HEALTHCHECK_PUBLIC_URL', 'text'],
  ['stateFile', 'HEALTHCHECK_STATE_FILE', 'text'],
  ['store', 'HEALTHCHECK_STORE', 'secret'],
  ['instance', 'HEALTHCHECK_INSTANCE', 'text'],
  ['quorum', 'HEALTHCHECK_QUORUM', 'text'],
  ['lease', 'HEALTHCHECK_LEASE', 'text'],
  ['voteWindow', 'HEALTHCHECK_VOTE_WINDOW', 'text'],
  ['resultsSaveInterval', 'HEALTHCHECK_RESULTS_SAVE_INTERVAL', 'text'],
  ['logLevel', 'HEALTHCHECK_LOG_LEVEL', 'text'],
  ['teams', 'HEALTHCHECK_TEAMS', 'list'],
  ['opsChannel', 'HEALTHCHECK_OPS_CHANNEL', 'text'],
  ['logChannel', 'HEALTHCHECK_LOG_CHANNEL', 'text'],
  ['homeTarget', 'HEALTHCHECK_HOME_TARGET', 'text'],
  ['heartbeat', 'HEALTHCHECK_HEARTBEAT', 'text'],
  ['retention', 'HEALTHCHECK_RETENTION', 'text'],
  ['retentionSweep', 'HEALTHCHECK_RETENTION_SWEEP', 'text'],
  ['reportMinInterval', 'HEALTHCHECK_REPORT_MIN_INTERVAL', 'text'],
  ['jitter', 'HEALTHCHECK_JITTER', 'text'],
  ['interval', 'HEALTHCHECK_INTERVAL', 'text'],
  ['timeout', 'HEALTHCHECK_TIMEOUT', 'text'],
  ['retryInterval', 'HEALTHCHECK_RETRY_INTERVAL', 'text'],
  ['enabledProbes', 'HEALTHCHECK_PROBES', 'list'],
  ['failureThreshold', 'HEALTHCHECK_FAILURE_THRESHOLD', 'text'],
  ['successThreshold', 'HEALTHCHECK_SUCCESS_THRESHOLD', 'text'],
  ['latencyBudget', 'HEALTHCHECK_LATENCY_BUDGET', 'text'],
  ['reminderInterval', 'HEALTHCHECK_REMINDER_INTERVAL', 'text'],
  ['maxReminders', 'HEALTHCHECK_MAX_REMINDERS', 'text'],
  ['slashTrigger', 'HEALTHCHECK_SLASH_TRIGGER', 'text'],
  ['slashTokens', 'HEALTHCHECK_SLASH_TOKENS', 'secret'],
  ['reportTargetUrls', 'HEALTHCHECK_REPORT_TARGET_URLS', 'text'],
  ['actionSecret', 'HEALTHCHECK_ACTION_SECRET', 'secret'],
  ['signingKey', 'HEALTHCHECK_SIGNING_KEY', 'secret'],
  ['ackRole', 'HEALTHCHECK_ACK_ROLE', 'text'],
  ['muteRole', 'HEALTHCHECK_MUTE_ROLE', 'text'],
  ['ackReminderInterval', 'HEALTHCHECK_ACK_REMINDER_INTERVAL', 'text'],
  ['notice', 'HEALTHCHECK_NOTICE', 'text'],
  ['noticeText', 'HEALTHCHECK_NOTICE_TEXT', 'text'],
  ['slos', 'HEALTHCHECK_SLOS', 'text'],
];

/** Settings of the target described by variables (and inherited by the file's targets). */
const TARGET: readonly [string, string, Kind][] = [
  ['name', 'HEALTHCHECK_TARGET_NAME', 'text'],
  ['url', 'HEALTHCHECK_MM_URL', 'text'],
  ['team', 'HEALTHCHECK_TEAM', 'text'],
  ['botToken', 'HEALTHCHECK_BOT_TOKEN', 'secret'],
  ['adminToken', 'HEALTHCHECK_ADMIN_TOKEN', 'secret'],
  ['probeUsername', 'HEALTHCHECK_PROBE_USERNAME', 'text'],
  ['probePassword', 'HEALTHCHECK_PROBE_PASSWORD', 'secret'],
  ['probeChannel', 'HEALTHCHECK_PROBE_CHANNEL', 'text'],
  ['searchUsersTerm', 'HEALTHCHECK_SEARCH_USERS_TERM', 'text'],
  ['searchUsersMin', 'HEALTHCHECK_SEARCH_USERS_MIN', 'text'],
  ['searchChannelsTerm', 'HEALTHCHECK_SEARCH_CHANNELS_TERM', 'text'],
  ['searchChannelsMin', 'HEALTHCHECK_SEARCH_CHANNELS_MIN', 'text'],
  ['pushDeviceId', 'HEALTHCHECK_PUSH_DEVICE_ID', 'secret'],
];

/** Secrets that may come from a file in the JSON config: key → key + "File". */
const SECRET_KEYS = ['botToken', 'adminToken', 'probePassword', 'pushDeviceId'] as const;

/** Per-probe variables → the key of the probe's settings. */
const PER_PROBE = {INTERVAL: 'interval', TIMEOUT: 'timeout', LATENCY_BUDGET: 'latencyBudget', FAILURE_THRESHOLD: 'failureThreshold', SUCCESS_THRESHOLD: 'successThreshold'} as const;

export const probeVariable = (probe: string, what: keyof typeof PER_PROBE) => `HEALTHCHECK_${probe.toUpperCase()}_${what}`;

/** Every variable the bridge reads (for the unknown-variable warning and the README table). */
export function knownVariables(probes: readonly ProbeDefaults[]): string[] {
  const vars = [...TOP_LEVEL, ...TARGET].flatMap(([, v, kind]) => (kind === 'secret' ? [v, `${v}_FILE`] : [v]));
  vars.push('HEALTHCHECK_CONFIG_FILE');
  for (const p of probes) for (const what of Object.keys(PER_PROBE) as (keyof typeof PER_PROBE)[]) vars.push(probeVariable(p.name, what));
  return vars;
}

class Collector {
  readonly problems: string[] = [];
  readonly sources = new Map<string, string>();
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly readFile: ReadFile,
  ) {}

  /** The value of a variable (or its *_FILE for secrets), recording where it came from. */
  read(variable: string, kind: Kind, path: string): unknown {
    const direct = this.env[variable];
    const file = kind === 'secret' ? this.env[`${variable}_FILE`] : undefined;
    if (direct !== undefined && direct !== '' && file) {
      this.problems.push(`${variable}, ${variable}_FILE: set only one of them`);
      return undefined;
    }
    if (file) {
      this.sources.set(path, `${variable}_FILE`);
      return this.secretFile(file, `${variable}_FILE`);
    }
    if (direct === undefined || direct === '') return undefined;
    this.sources.set(path, variable);
    if (kind === 'list')
      return direct
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    return direct;
  }

  secretFile(file: string, source: string): string | undefined {
    try {
      const value = this.readFile(file).trim();
      if (!value) this.problems.push(`${source}: the file ${file} is empty`);
      return value || undefined;
    } catch (err) {
      const code = (err as {code?: string}).code;
      this.problems.push(`${source}: cannot read ${file}${code ? ` (${code})` : ''}`);
      return undefined;
    }
  }
}

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fromFile(c: Collector, file: string, readFile: ReadFile): Raw {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(file));
  } catch (err) {
    const code = (err as {code?: string}).code;
    c.problems.push(`HEALTHCHECK_CONFIG_FILE: cannot read ${file}: ${code ?? (err instanceof Error ? err.message : String(err))}`);
    return {};
  }
  if (!isObject(parsed)) {
    c.problems.push(`HEALTHCHECK_CONFIG_FILE: ${file} must hold a JSON object`);
    return {};
  }
  const raw: Raw = {...parsed};
  const label = (path: string) => `${file}: ${path}`;
  for (const key of Object.keys(raw)) c.sources.set(key, label(key));
  if (isObject(raw.probes)) {
    for (const [name, settings] of Object.entries(raw.probes)) {
      if (isObject(settings)) for (const key of Object.keys(settings)) c.sources.set(`probes.${name}.${key}`, label(`probes.${name}.${key}`));
    }
  }
  if (Array.isArray(raw.targets)) {
    raw.targets = raw.targets.map((t: unknown, i: number) => {
      if (!isObject(t)) return t;
      const target: Raw = {...t};
      c.sources.set(`targets.${i}`, label(`targets[${i}]`));
      for (const key of Object.keys(target)) c.sources.set(`targets.${i}.${key}`, label(`targets[${i}].${key}`));
      for (const key of SECRET_KEYS) {
        const fileKey = `${key}File`;
        if (target[fileKey] === undefined) continue;
        if (target[key] !== undefined) c.problems.push(`${label(`targets[${i}]`)}: set only one of ${key} and ${fileKey}`);
        else if (typeof target[fileKey] !== 'string') c.problems.push(`${label(`targets[${i}].${fileKey}`)}: expected a file path`);
        else target[key] = c.secretFile(target[fileKey] as string, label(`targets[${i}].${fileKey}`));
        c.sources.set(`targets.${i}.${key}`, label(`targets[${i}].${fileKey}`));
        delete target[fileKey];
      }
      return target;
    });
  }
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv, readFile: ReadFile, probes: readonly ProbeDefaults[] = Object.values(probeRegistry)): LoadResult {
  const c = new Collector(env, readFile);
  const warnings: string[] = [];
  const known = new Set(knownVariables(probes));
  for (const variable of Object.keys(env)) {
    if (variable.startsWith('HEALTHCHECK_') && !known.has(variable)) warnings.push(`${variable} is not a setting of the bridge; it is ignored`);
  }

  const configFile = env.HEALTHCHECK_CONFIG_FILE;
  const raw: Raw = configFile ? fromFile(c, configFile, readFile) : {};

  for (const [key, variable, kind] of TOP_LEVEL) {
    const value = c.read(variable, kind, key);
    if (value !== undefined) raw[key] = value;
  }

  const envTarget: Raw = {};
  const targetSources = new Map<string, string>();
  for (const [key, variable, kind] of TARGET) {
    const value = c.read(variable, kind, `envTarget.${key}`);
    if (value !== undefined) {
      envTarget[key] = value;
      targetSources.set(key, c.sources.get(`envTarget.${key}`) as string);
    }
  }
  if (Array.isArray(raw.targets)) {
    // Targets of the file inherit every setting they leave out from the variables.
    raw.targets = raw.targets.map((t: unknown, i: number) => {
      if (!isObject(t)) return t;
      for (const [key, source] of targetSources) if (t[key] === undefined && key !== 'name') c.sources.set(`targets.${i}.${key}`, source);
      const {name: _name, ...inherited} = envTarget;
      return {...inherited, ...t};
    });
  } else if (Object.keys(envTarget).length > 0) {
    if (envTarget.name === undefined && typeof envTarget.url === 'string' && URL.canParse(envTarget.url)) envTarget.name = new URL(envTarget.url).hostname;
    raw.targets = [envTarget];
    for (const [key, variable, kind] of TARGET) c.sources.set(`targets.0.${key}`, targetSources.get(key) ?? (kind === 'secret' ? `${variable} (or ${variable}_FILE)` : variable));
  } else {
    raw.targets = [];
    c.sources.set('targets', 'HEALTHCHECK_MM_URL');
  }

  const perProbe: Record<string, Raw> = isObject(raw.probes) ? {...(raw.probes as Record<string, Raw>)} : {};
  for (const p of probes) {
    for (const [what, key] of Object.entries(PER_PROBE) as [keyof typeof PER_PROBE, string][]) {
      const value = c.read(probeVariable(p.name, what), 'text', `probes.${p.name}.${key}`);
      if (value !== undefined) perProbe[p.name] = {...(isObject(perProbe[p.name]) ? perProbe[p.name] : {}), [key]: value};
    }
  }
  if (Object.keys(perProbe).length > 0) raw.probes = perProbe;
  for (const p of probes) {
    for (const key of ['interval', 'timeout'] as const) {
      const path = `probes.${p.name}.${key}`;
      if (!c.sources.has(path)) c.sources.set(path, probeVariable(p.name, key === 'interval' ? 'INTERVAL' : 'TIMEOUT'));
    }
  }
  if (raw.teams === undefined) {
    raw.teams = [];
    c.sources.set('teams', 'HEALTHCHECK_TEAMS');
  }

  const parsed = configSchema(probes).safeParse(raw);
  const problems = [...c.problems];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push(`${sourceOf(c.sources, [...path, key].join('.'))}: not a setting of the bridge`);
      } else {
        problems.push(`${sourceOf(c.sources, path.join('.'))}: ${issue.message}`);
      }
    }
  }
  if (problems.length > 0 || !parsed.success) return {ok: false, problems, warnings};
  return {ok: true, config: parsed.data, warnings};
}

/** The variable or file key behind a schema path: the longest recorded prefix. */
function sourceOf(sources: Map<string, string>, path: string): string {
  const parts = path.split('.');
  for (let n = parts.length; n > 0; n--) {
    const source = sources.get(parts.slice(0, n).join('.'));
    if (source) return n === parts.length || !source.includes(': ') ? source : `${source}.${parts.slice(n).join('.')}`;
  }
  return path || '(settings)';
}
