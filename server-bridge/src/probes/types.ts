// The one probe signature and its result. Every probe is a ProbeDefinition in ./registry.ts;
// config validation takes the allowed probe names from that registry.
import type {Check} from '../contract/report';
import type {MattermostClient} from '../mm/client';

export type {Check};

export interface ProbeResult {
  probe: string;
  target: string;
  ok: boolean;
  /** Wall time of the run on a monotonic clock (performance.now()). */
  durationMs: number;
  /** ms since epoch when the run started. */
  startedAt: number;
  /** Each condition with what was observed and what was expected. */
  checks: Check[];
  /** One line on why it failed (never a token or password). */
  error?: string;
  /** Missing settings (TargetSettings names): "not configured", neither success nor failure; ok is false and checks empty. */
  notConfigured?: string[];
  /** Small facts worth keeping (e.g. serverVersion from X-Version-Id). */
  facts?: Record<string, string | number | boolean | null>;
}

/** What a probe may need from its target's configuration. */
export type Requirement = 'botToken' | 'adminToken' | 'probeUser' | 'probeChannel' | 'team' | 'pushDevice';

/** One Mattermost server (or node) the bridge watches, with its own credentials. */
export interface TargetSettings {
  name: string;
  url: string;
  team?: string;
  botToken?: string;
  /** Optional: lets ping explain UNHEALTHY (GoroutineHealthThreshold) and post_roundtrip purge its posts for good. */
  adminToken?: string;
  probeUsername?: string;
  probePassword?: string;
  /** A public channel's name (not id) in `team`. */
  probeChannel?: string;
  searchUsersTerm?: string;
  searchUsersMin?: number;
  searchChannelsTerm?: string;
  searchChannelsMin?: number;
  /** A mobile device's id as the push proxy knows it, "<platform>:<token>" (the push probe). */
  pushDeviceId?: string;
  /** Told of each secret a probe learns (the probe user's session token), so logs can blank it out. */
  onSecret?: (value: string) => void;
}

export interface ProbeContext {
  target: TargetSettings;
  /** Aborted at the probe's timeout or on shutdown. */
  signal: AbortSignal;
  timeoutMs: number;
  /** A client for the target without a token; use withToken() for the bot or probe user. */
  client: MattermostClient;
  /** Per-target cache of lookups (team id, channel id, bot user id) shared across runs. */
  cache: Map<string, unknown>;
  /** Shared by every target of one prober: locks on what targets share (one server's probe user and channel). */
  shared?: Map<string, unknown>;
}

export interface ProbeDefinition {
  name: string;
  description: string;
  needs: readonly Requirement[];
  defaultIntervalMs: number;
  defaultTimeoutMs: number;
  /** Cleanup the probe still does after its timeout (on a budget of its own): the scheduler waits this long before giving up on it. */
  cleanupMs?: number;
  /** Logs in, opens a websocket, writes or searches: the scheduler spreads such first runs over the first interval per server. */
  heavy?: boolean;
  run(ctx: ProbeContext): Promise<ProbeResult>;
}
