// Incidents, the outbox, the state file, /healthcheck and the incident buttons as one service:
// compose.ts builds it, feeds it results and starts/stops it.
import type {FastifyPluginAsync} from 'fastify';
import type {Registry} from 'prom-client';
import type {IncidentSummary, Notice, ProbeState} from '../contract';
import type {MattermostClient} from '../mm/client';
import {client4Shape} from '../mm/client4-shape';
import {describeError} from '../mm/errors';
import {Outbox, type OutboxLog, type OutboxOptions} from '../outbox/outbox';
import {createOutboxMetrics} from '../outbox/metrics';
import {mattermostPostApi} from '../outbox/post-api';
import type {ProbeResult} from '../probes/types';
import {channelIdResolver} from '../mm/lookups';
import {ReportLedger} from '../report/ledger';
import type {PostSink as ReportSink} from '../report/sink';
import type {StateSource} from '../report/states';
import type {ProbeRow} from '../slash/answers';
import {ensureSlashCommands, teamsByName, DEFAULT_TRIGGER, SlashPermissionError} from '../slash/register';
import {slashRoutes, SLASH_PATH} from '../slash/route';
import {CommandTokens} from '../slash/command-tokens';
import {callerOf, channelNameOf, fetchSiteUrl, respond} from '../slash/server-calls';
import type {CommandToken} from '../slash/token';
import {StateStore, type HistoryPort} from '../state/store';
import {IncidentManager, type Incident, type IncidentSettings} from '../incidents/incidents';
import {noticeOf} from '../incidents/notice';
import {ActionStore} from '../actions/action-store';
import {incidentButtons} from '../actions/buttons';
import {perform} from '../actions/perform';
import {serverRoles, type ActionRole, type RoleReader} from '../actions/roles';
import {actionRoutes} from '../actions/route';
import {signingKey} from '../actions/trigger-id';
import {once} from '../once';

export interface IncidentServiceOptions {
  /** The home target's bot (posts) and, optionally, an admin token (slash registration). */
  bot: MattermostClient;
  admin?: MattermostClient | null;
  /** The bot's user id (default: asked of the server once). */
  botUserId?: () => Promise<string>;
  /** The server as the bridge reaches it; its Site URL (links, response_url) is learned from the server. */
  siteUrl: string;
  /** The team of the ops channel, and every team /healthcheck is registered in. */
  team: string;
  teams: readonly string[];
  opsChannel: string;
  stateFile?: string;
  /** Where Mattermost reaches the bridge; without it /healthcheck is not registered. */
  publicUrl?: string;
  trigger?: string;
  /** Command tokens from the configuration, each for a team named in `teams`. */
  slashTokens?: readonly {team: string; token: string}[];
  /** How often the registrations (and so the accepted tokens) are read again. */
  slashRefreshMs?: number;
  /** Each secret learned from the server (command tokens), for the logger's redaction. */
  onSecret?: (value: string) => void;
  settings: Omit<IncidentSettings, 'opsChannelId'>;
  /** The incident buttons (only with publicUrl): token key, who may acknowledge and mute. */
  actions?: {secret?: string; ackRole: ActionRole; muteRole: ActionRole; opsChannel: string};
  outbox?: Pick<OutboxOptions, 'timeoutMs' | 'initialBackoffMs' | 'maxBackoffMs' | 'patchWindowMs' | 'onDelivered'>;
  /** Where the outbox's gauges and counters go (/metrics). */
  registry?: Registry;
  tickMs?: number;
  registerRetryMs?: number;
  /** The result history, saved rarely in a file of its own. */
  history?: HistoryPort & {retainOnly(keys: readonly {probe: string; target: string}[]): number};
  /** Every configured probe+target: restored state of any other is dropped (its incident closed with a note). */
  configured?: readonly {probe: string; target: string}[];
  /** How long after a change the state file is written (default 1 s). */
  saveDelayMs?: number;
  /** How often the result history is written (default 15 min). */
  historySaveMs?: number;
  knownProbes: () => readonly string[];
  probeRows: () => ProbeRow[];
  runNow: () => Promise<ProbeResult[]>;
  log: OutboxLog;
  now?: () => number;
}

const OPS_REF = '~ops';

export class IncidentService {
  readonly outbox: Outbox;
  readonly incidents: IncidentManager;
  private readonly tokens: CommandTokens;
  private siteUrl: string;
  private refreshTimer: NodeJS.Timeout | null = null;
  /** The report posts delivered, for retention to delete by id. */
  readonly reportLedger: ReportLedger;
  private readonly now: () => number;
  private readonly opsChannelId: () => Promise<string>;
  private opsId: string | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private registerTimer: NodeJS.Timeout | null = null;
  private loaded = false;
  private readonly store: StateStore | null;
  private readonly actionStore: ActionStore | null;
  private readonly roles: RoleReader;

  constructor(private readonly o: IncidentServiceOptions) {
    this.now = o.now ?? Date.now;
    this.store = o.stateFile
      ? new StateStore({
          file: o.stateFile,
          build: () => ({incidents: this.incidents.snapshot(), outbox: this.outbox.snapshot(), reports: this.reportLedger.snapshot()}),
          history: o.history,
          log: o.log,
          now: this.now,
          delayMs: o.saveDelayMs,
          historyEveryMs: o.historySaveMs,
        })
      : null;
    const state = this.store?.load();
    this.siteUrl = o.siteUrl.replace(/\/+$/, '');
    this.tokens = new CommandTokens({load: () => this.readTokens(), onToken: o.onSecret});
    const resolveOps = channelIdResolver(o.bot, o.team, o.opsChannel);
    this.opsChannelId = async () => (this.opsId = await resolveOps());
    const api = mattermostPostApi(
      o.bot,
      async (ref) => {
        if (ref === OPS_REF) return this.opsChannelId();
        throw new Error(`unknown channel reference ${ref}`);
      },
      o.botUserId,
    );
    const isOpenRoot = (id: string) => this.incidents.openIncidents().some((i) => i.rootDeliveryId === id);
    this.reportLedger = new ReportLedger(state?.reports, () => this.save());
    const metrics = o.registry ? createOutboxMetrics(o.registry, () => this.outbox.counts()) : null;
    this.outbox = new Outbox({
      api,
      ...o.outbox,
      now: this.now,
      log: o.log,
      state: state?.outbox,
      keep: isOpenRoot,
      onChange: () => this.save(),
      onDropped: (item, reason) => metrics?.dropped(item, reason),
      onParked: (item) => metrics?.parked(item),
      onDelivered: (item, postId) => {
        if (item.lane === 'report') this.reportLedger.add(postId, this.now());
        // The caller's hook too (delivery metrics, the bot status naming the latest report).
        o.outbox?.onDelivered?.(item, postId);
      },
    });
    this.roles = serverRoles(o.bot, () => this.opsChannelId());
    this.actionStore = o.actions ? new ActionStore({file: o.stateFile ? `${o.stateFile}.actions` : null, configuredKey: o.actions.secret, log: o.log}) : null;
    const key = this.actionStore?.key;
    // Read when a root is built: without a public URL Mattermost could not reach the buttons' target.
    const rootExtras = key ? (i: Incident, mutedUntil: number | null) => (o.publicUrl ? incidentButtons({publicUrl: o.publicUrl, key}, i, mutedUntil) : {}) : undefined;
    this.incidents = new IncidentManager({...o.settings, opsChannelId: OPS_REF, rootExtras}, this.outbox, state?.incidents, () => this.save());
    this.loaded = true;
    if (o.configured) this.forgetUnconfigured(o.configured);
  }

  /** What a restored state holds of probes or targets no longer configured goes; their incidents are closed with a note. */
  private forgetUnconfigured(configured: readonly {probe: string; target: string}[]): void {
    const {trackers, closed} = this.incidents.retainOnly(configured, this.now());
    const runs = this.o.history?.retainOnly(configured) ?? 0;
    if (trackers + runs + closed.length === 0) return;
    this.o.log.warn('restored state of probes or targets no longer configured was dropped', {trackers, histories: runs, closedIncidents: closed.map((i) => i.id)});
  }

  /** Results as they arrive (one run or a whole cycle). */
  observe(results: readonly ProbeResult[]): void {
    this.incidents.observe(results, this.now());
    // The server answered: whatever waits in the outbox may go now.
    if (results.some((r) => r.ok)) this.outbox.kick();
  }

  /** The report poster's seam: report posts wait in the outbox's report lane, never ahead of incidents. */
  reportSink(): ReportSink {
    return {send: async (post) => (this.outbox.enqueue({op: 'create', lane: 'report', ...post, happenedAt: this.now()}), null)};
  }

  /** Hysteresis states for the report (instead of the latest run's). */
  stateSource(): StateSource {
    return {
      stateOf: (probe, target): {state: ProbeState; since: number | null} => {
        const t = this.incidents.trackerOf(probe, target);
        return t ? {state: t.state, since: t.since} : {state: 'unknown', since: null};
      },
    };
  }

  summaries(): IncidentSummary[] {
    return this.incidents.summaries().map((s) => ({...s, channelId: s.postId ? this.opsId : null}));
  }

  mutedUntil(): number | null {
    return this.incidents.mutedUntil(this.now());
  }

  /** What every user is told while incidents they feel are open and not muted (the bot's status). */
  notice(): Notice | null {
    const now = this.now();
    return noticeOf(this.incidents.openIncidents(), (probe) => this.incidents.isMuted(probe, now), (probe, target) => this.incidents.trackerOf(probe, target)?.state);
  }

  /** The teams whose /healthcheck requests are accepted now (by id). */
  slashTeams(): string[] {
    return [...new Set(this.tokens.current().map((t) => t.teamId))];
  }

  slashPlugin(): FastifyPluginAsync {
    const o = this.o;
    return slashRoutes({
      trigger: o.trigger ?? DEFAULT_TRIGGER,
      siteUrl: () => this.siteUrl,
      tokens: () => this.tokens.current(),
      refreshTokens: () => this.tokens.refreshSoon(),
      knownProbes: o.knownProbes,
      probeRows: o.probeRows,
      incidents: this.incidents,
      postIdOf: (id) => this.outbox.postIdOf(id),
      runNow: o.runNow,
      caller: (userId) => callerOf(o.bot, userId, 5000),
      channelName: (channelId) => channelNameOf([o.bot, ...(o.admin ? [o.admin] : [])], channelId, 5000),
      respond: (url, text) => respond([this.siteUrl, o.siteUrl], url, text, 10_000),
      acknowledge: (userId, incident) => this.acknowledge(userId, incident),
      now: this.now,
      log: o.log,
    });
  }

  /** POST /actions/incident, when the bridge has a public URL (else the posts carry no buttons). */
  actionsPlugin(): FastifyPluginAsync {
    const store = this.actionStore;
    const o = this.o;
    if (!store || !o.actions) return async () => undefined;
    const key = once(async () => {
      const config = await o.bot.get<{AsymmetricSigningPublicKey?: string}>('/config/client', {query: {format: 'old'}, token: null, signal: AbortSignal.timeout(5000)});
      if (!config.AsymmetricSigningPublicKey) o.log.warn('actions: the server publishes no signing key; trigger_id is not verified');
      return config.AsymmetricSigningPublicKey ? signingKey(config.AsymmetricSigningPublicKey) : null;
    });
    return actionRoutes({
      key: store.key,
      replays: store.replays,
      saveReplays: (now) => store.save(now),
      signingKey: key,
      rootOf: (id) => this.rootOf(id),
      opsChannelId: () => this.opsChannelId(),
      amendWaiting: (id, content) => void this.outbox.amendWaiting(id, content),
      incidents: this.incidents,
      roles: this.roles,
      who: {ack: o.actions.ackRole, mute: o.actions.muteRole},
      opsChannel: o.actions.opsChannel,
      now: this.now,
      log: o.log,
    });
  }

  /** `/healthcheck ack [incident]`: the same as the button, for the user the server names. */
  async acknowledge(userId: string, incident: string | null): Promise<string> {
    const found = this.incidents.findOpen(incident);
    if (!found) return incident === null && this.incidents.openIncidents().length > 1 ? 'Several incidents are open; name one: ' + this.incidents.openIncidents().map((i) => `\`${i.target}\``).join(', ') : 'No such open incident.';
    const done = await perform({incidents: this.incidents, roles: this.roles, who: {ack: this.o.actions?.ackRole ?? 'ops_channel', mute: this.o.actions?.muteRole ?? 'system_admin'}, opsChannel: this.o.opsChannel}, found.id, 'ack', userId, this.now());
    const root = this.rootOf(found.id);
    if (done.changed && done.update && root) this.outbox.update(root.deliveryId, done.update, this.now());
    return done.text;
  }

  private rootOf(incidentId: string): {deliveryId: string; postId: string | null} | null {
    const incident = [...this.incidents.openIncidents(), ...this.incidents.recentIncidents()].find((i) => i.id === incidentId);
    return incident?.rootDeliveryId ? {deliveryId: incident.rootDeliveryId, postId: this.outbox.postIdOf(incident.rootDeliveryId)} : null;
  }

  start(): void {
    this.outbox.start();
    this.store?.start();
    this.tickTimer = setInterval(() => this.incidents.tick(this.now()), this.o.tickMs ?? 15_000);
    this.tickTimer.unref();
    void this.opsChannelId().catch(() => undefined);
    this.registerLater(0);
  }

  async stop(): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.registerTimer) clearTimeout(this.registerTimer);
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    await this.outbox.stop();
    await this.store?.stop();
  }

  /** Writes a pending change of the state file now (tests, benchmarks). */
  async flushState(): Promise<void> {
    await this.store?.flush();
  }

  /** What the state file writes cost so far. */
  stateWrites(): {writes: number; bytes: number} {
    return {writes: this.store?.writes ?? 0, bytes: this.store?.bytesWritten ?? 0};
  }

  private registerLater(delayMs: number): void {
    this.registerTimer = setTimeout(() => {
      this.register().catch((err: unknown) => this.o.log.error('slash: registration failed (a bug)', {error: describeError(err)}));
    }, delayMs);
    this.registerTimer.unref();
  }

  /** Reads the Site URL and the command tokens, retrying until it works, then again periodically. */
  private async register(): Promise<void> {
    const o = this.o;
    try {
      await this.tokens.refresh();
      this.refreshTimer ??= setInterval(() => void this.tokens.refresh().catch((err: unknown) => o.log.warn('slash: could not read the command registrations; keeping the known tokens', {error: describeError(err)})), o.slashRefreshMs ?? 300_000);
      this.refreshTimer.unref();
    } catch (err) {
      o.log.warn('slash: could not register /healthcheck or read its tokens; will retry', {error: describeError(err)});
      this.registerLater(o.registerRetryMs ?? 30_000);
    }
  }

  /**
   * The tokens /healthcheck accepts now: the configured ones (by team) and those of the current
   * registrations (registered or put right first when the bridge has a public URL). Also learns
   * the server's Site URL, which Mattermost builds response_url from.
   */
  private async readTokens(): Promise<CommandToken[]> {
    const o = this.o;
    const site = await fetchSiteUrl(o.bot, 5000).catch(() => null);
    if (site) this.siteUrl = site;
    const teams = await teamsByName(o.bot, o.teams);
    const idOf = new Map(teams.map((t) => [t.name, t.id]));
    const configured = (o.slashTokens ?? []).flatMap((t) => {
      const teamId = idOf.get(t.team);
      return teamId ? [{teamId, token: t.token, commandId: null}] : [];
    });
    if (!o.publicUrl) return configured;
    try {
      const changes: string[] = [];
      const clients = [o.bot, ...(o.admin ? [o.admin] : [])];
      const regs = await ensureSlashCommands(clients.map(client4Shape), teams, {trigger: o.trigger ?? DEFAULT_TRIGGER, url: `${o.publicUrl.replace(/\/+$/, '')}${SLASH_PATH}`}, changes);
      for (const c of changes) o.log.info(`slash: ${c}`);
      return [...configured, ...regs.map((r) => ({teamId: r.teamId, token: r.token, commandId: r.commandId}))];
    } catch (err) {
      if (err instanceof SlashPermissionError && configured.length > 0) {
        o.log.info('slash: the bot may not manage slash commands; using the configured command tokens', {error: err.message});
        return configured;
      }
      throw err;
    }
  }

  private save(): void {
    if (this.loaded) this.store?.changed();
  }
}
