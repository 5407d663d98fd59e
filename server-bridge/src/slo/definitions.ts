// Service level objectives: what they are, the defaults an admin gets without configuring any, and
// the multiwindow burn-rate alerts of the SRE workbook ("Alerting on SLOs"), scaled to the SLO's
// window (the workbook's windows are for 30 days; a 1 h objective gets windows 720 times shorter).
export const SLO_KINDS = ['availability', 'latency'] as const;
export type SloKind = (typeof SLO_KINDS)[number];

/** The services users feel, and the probes that stand for each. */
export const SERVICES = {
  login: ['login'],
  post: ['post_roundtrip'],
  search: ['search_users', 'search_channels'],
  realtime: ['websocket'],
} as const satisfies Record<string, readonly string[]>;
export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

export interface Slo {
  name: string;
  /** The service it stands for (the status page's strip and the notice name it), if any. */
  service: ServiceName | null;
  probes: string[];
  /** The target whose runs count (default: the home target). */
  target: string | null;
  kind: SloKind;
  /** The share of good runs wanted, e.g. 0.995. */
  objective: number;
  windowMs: number;
  /** Latency objectives: a successful run at or under this is good. */
  thresholdMs: number | null;
}

const DAY = 86_400_000;
export const BASE_WINDOW_MS = 30 * DAY;

/**
 * 99.5 % by default: probes run once a minute, so at 99.9 % a single failed run in an hour would
 * already burn 14.4 times the budget and page; at 99.5 % it takes five.
 */
export const DEFAULT_SLOS: readonly Slo[] = [
  {name: 'log-in', service: 'login', probes: [...SERVICES.login], target: null, kind: 'availability', objective: 0.995, windowMs: BASE_WINDOW_MS, thresholdMs: null},
  {name: 'post-and-receive', service: 'post', probes: [...SERVICES.post], target: null, kind: 'availability', objective: 0.995, windowMs: BASE_WINDOW_MS, thresholdMs: null},
  {name: 'search', service: 'search', probes: [...SERVICES.search], target: null, kind: 'availability', objective: 0.995, windowMs: BASE_WINDOW_MS, thresholdMs: null},
  {name: 'real-time', service: 'realtime', probes: [...SERVICES.realtime], target: null, kind: 'availability', objective: 0.995, windowMs: BASE_WINDOW_MS, thresholdMs: null},
  {name: 'post-latency', service: 'post', probes: [...SERVICES.post], target: null, kind: 'latency', objective: 0.99, windowMs: BASE_WINDOW_MS, thresholdMs: 2000},
];

/** The burn-rate windows shown and exported, as at 30 days. */
export const BURN_WINDOWS = [
  {label: '5m', ms: 5 * 60_000},
  {label: '30m', ms: 30 * 60_000},
  {label: '1h', ms: 3_600_000},
  {label: '6h', ms: 6 * 3_600_000},
  {label: '1d', ms: DAY},
  {label: '3d', ms: 3 * DAY},
] as const;
export type BurnWindow = (typeof BURN_WINDOWS)[number]['label'];

export type AlertSeverity = 'page' | 'ticket';

export interface BurnAlertRule {
  /** fast and slow page, ticket: the workbook's three. */
  id: 'fast' | 'slow' | 'ticket';
  severity: AlertSeverity;
  /** Share of the whole window's budget that burns in `long` at this rate. */
  budgetShare: number;
  long: BurnWindow;
  short: BurnWindow;
}

/** Page: 2 % of the budget in 1 h (and still burning over 5 min), 5 % in 6 h (30 min); ticket: 10 % in 3 d (6 h). */
export const BURN_ALERT_RULES: readonly BurnAlertRule[] = [
  {id: 'fast', severity: 'page', budgetShare: 0.02, long: '1h', short: '5m'},
  {id: 'slow', severity: 'page', budgetShare: 0.05, long: '6h', short: '30m'},
  {id: 'ticket', severity: 'ticket', budgetShare: 0.1, long: '3d', short: '6h'},
];

export const windowMsOf = (label: BurnWindow) => (BURN_WINDOWS.find((w) => w.label === label) as {ms: number}).ms;

/** A burn window at the SLO's scale: the 30-day length times window / 30 days. */
export const scaledWindowMs = (slo: Pick<Slo, 'windowMs'>, label: BurnWindow) => Math.max(1000, Math.round((windowMsOf(label) * slo.windowMs) / BASE_WINDOW_MS));

/** The burn rate above which a rule fires: its budget share spent within its long window. */
export const burnThreshold = (rule: BurnAlertRule) => (rule.budgetShare * BASE_WINDOW_MS) / windowMsOf(rule.long);
