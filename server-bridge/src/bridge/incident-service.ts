// Incidents, the outbox, the state file, /healthcheck and the incident buttons as one service on
// parts built for it (incident-parts.ts): compose.ts feeds it results and starts/stops it.
import type {FastifyPluginAsync} from 'fastify';
import type {Registry} from 'prom-client';
import {DELIVERY_ID_PROP, type IncidentSummary, type Notice, type ProbeState} from '../contract';
import type {MattermostClient} from '../mm/client';
import {meResolver} from '../mm/lookups';
import type {MmPost} from '../mm/types';
import {describeError} from '../mm/errors';
import type {Outbox, OutboxLog, OutboxOptions} from '../outbox/outbox';
import type {ProbeResult} from '../probes/types';
import type {ReportLedger} from '../report/ledger';
import type {PostSink as ReportSink} from '../report/sink';
import type {StateSource} from '../report/states';
import type {ProbeRow} from '../slash/answers';
import {DEFAULT_TRIGGER} from '../slash/register';
import {slashRoutes, type SlashDeps} from '../slash/route';
import type {CommandTokens} from '../slash/command-tokens';
import {callerOf, channelNameOf, respond} from '../slash/server-calls';
import type {HistoryPort, StateStore} from '../state/store';
import type {BridgeStore} from '../state/bridge-store';
import type {DuplicateSweep} from '../outbox/duplicate-sweep';
import type {HighAvailability} from './ha';
import type {IncidentManager, IncidentSettings} from '../incidents/incidents';
import {noticeOf} from '../incidents/notice';
import type {ActionStore} from '../actions/action-store';
import {perform} from '../actions/perform';
import type {ActionRole, RoleReader} from '../actions/roles';
import {actionRoutes} from '../actions/route';
import type {SloActionPort} from '../actions/slo-perform';
import {sloActionRoutes} from '../actions/slo-route';
import {signingKey} from '../actions/trigger-id';
import {TriggerGuard} from '../actions/trigger-guard';
import type {PostSigner} from '../signing/post-signer';
import {ALERT_POST_TYPE} from '../contract';
import {once} from '../once';
import type {SloStateSlot} from '../slo/alert-state';

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
  /** A store of the bridge's state other than the state file (tests; a database). */
  store?: BridgeStore;
  /** Several bridges sharing a PostgreSQL store: the lease, the votes, the leader's duties. */
  ha?: HighAvailability;
  /** Where Mattermost reaches the bridge; without it /healthcheck is not registered. */
  publicUrl?: string;
  trigger?: string;
  /** Command tokens from the configuration, each for a team named in `teams`. */
  slashTokens?: readonly {team: string; token: string}[];
  /** How often the registrations (and so the accepted tokens) are read again. */
  slashRefreshMs?: number;
  /** Signs report and alert posts where they are built (contract/signature.ts). */
  sign?: PostSigner;
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
  /** More deliveries the outbox must never forget while this says so (the roots of open burn-rate alerts). */
  keepDelivery?: (deliveryId: string) => boolean;
  /** /healthcheck slo (slo/service.ts through slo-parts.ts). */
  slo?: SlashDeps['slo'];
  log: OutboxLog;
  now?: () => number;
}

/** The ops channel's id: asked of the server once it is needed, and the last one known (for summaries). */
export interface OpsChannel {
  id(): Promise<string>;
  known(): string | null;
}

/** What the service runs on, built and joined once by incident-parts.ts. */
export interface IncidentParts {
  store: StateStore | null;
  outbox: Outbox;
  incidents: IncidentManager;
  /** The report posts delivered, for retention to delete by id. */
  reportLedger: ReportLedger;
  /** The burn-rate alerts' state, kept in the same change sets (slo/service.ts sets it). */
  sloState: SloStateSlot;
  tokens: CommandTokens;
  actionStore: ActionStore | null;
  roles: RoleReader;
  ops: OpsChannel;
  /** The server's Site URL as last learned (response_url is built from it). */
  site: {url: string};
  /** Reads the ops channel now and then for double posts (healthcheck_outbox_duplicates_total). */
  sweep?: DuplicateSweep;
}

export class IncidentService {
  readonly outbox: Outbox;
  readonly incidents: IncidentManager;
  readonly reportLedger: ReportLedger;
  readonly sloState: SloStateSlot;
  private readonly now: () => number;
  private refreshTimer: NodeJS.Timeout | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private registerTimer: NodeJS.Timeout | null = null;
  private triggerGuard: TriggerGuard | null | undefined;

  constructor(
    private readonly o: IncidentServiceOptions,
    private readonly p: IncidentParts,
  ) {
    this.now = o.now ?? Date.now;
    this.outbox = p.outbox;
    this.incidents = p.incidents;
    this.reportLedger = p.reportLedger;
    this.sloState = p.sloState;
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
    // Several bridges: this bridge's runs are its votes; the leader turns a quorum of them into incidents.
    if (this.o.ha) for (const r of results) this.o.ha.observe(r);
    else this.incidents.observe(results, this.now());
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
    return this.incidents.summaries().map((s) => ({...s, channelId: s.postId ? this.p.ops.known() : null}));
  }

  mutedUntil(): number | null {
    return this.incidents.mutedUntil(this.now());
  }

  /** What every user is told while incidents they feel are open and not muted (the bot's status). */
  notice(): Notice | null {
    const now = this.now();
    return noticeOf(
      this.incidents.openIncidents(),
      (probe) => this.incidents.isMuted(probe, now),
      (probe, target) => this.incidents.trackerOf(probe, target)?.state,
    );
  }

  slashPlugin(): FastifyPluginAsync {
    const o = this.o;
    return slashRoutes({
      trigger: o.trigger ?? DEFAULT_TRIGGER,
      siteUrl: () => this.p.site.url,
      tokens: () => this.p.tokens.current(),
      refreshTokens: (teamId, token) => this.p.tokens.refreshSoon(teamId, token),
      knownProbes: o.knownProbes,
      probeRows: o.probeRows,
      incidents: this.incidents,
      postIdOf: (id) => this.outbox.postIdOf(id),
      runNow: o.runNow,
      caller: (userId) => callerOf(o.bot, userId, 5000),
      channelName: (channelId) => channelNameOf([o.bot, ...(o.admin ? [o.admin] : [])], channelId, 5000),
      respond: (url, text) => respond([this.p.site.url, o.siteUrl], url, text, 10_000),
      acknowledge: (userId, incident) => this.acknowledge(userId, incident),
      ...(o.ha ? {bridges: () => o.ha?.bridgeList() ?? []} : {}),
      slo: o.slo,
      prove: (triggerId, userId, now) => this.guard()?.check('slash', triggerId, userId, now) ?? Promise.resolve({ok: false, why: 'unavailable', reason: 'no replay memory'} as const),
      now: this.now,
      log: o.log,
    });
  }

  /** The server-signed trigger_id check buttons and acting commands share (one replay memory), when the bridge has an action store. */
  private guard(): TriggerGuard | null {
    if (this.triggerGuard !== undefined) return this.triggerGuard;
    const store = this.p.actionStore;
    const o = this.o;
    if (!store) return (this.triggerGuard = null);
    const key = once(async () => {
      const config = await o.bot.get<{AsymmetricSigningPublicKey?: string}>('/config/client', {query: {format: 'old'}, token: null, signal: AbortSignal.timeout(5000)});
      return config.AsymmetricSigningPublicKey ? signingKey(config.AsymmetricSigningPublicKey) : null;
    });
    const ha = o.ha;
    return (this.triggerGuard = new TriggerGuard({
      signingKey: key,
      replays: store.replays,
      save: (now) => store.save(now),
      registry: o.registry,
      log: o.log,
      // Several bridges: a request replayed to another bridge is refused too.
      ...(ha ? {shared: (id: string, until: number) => ha.store.firstUse(id, until)} : {}),
    }));
  }

  /** POST /actions/incident, when the bridge has a public URL (else the posts carry no buttons). */
  actionsPlugin(): FastifyPluginAsync {
    const store = this.p.actionStore;
    const guard = this.guard();
    const o = this.o;
    if (!store || !o.actions || !guard) return async () => undefined;
    return actionRoutes({
      key: store.key,
      guard,
      rootOf: (id) => this.rootOf(id),
      ...(o.ha ? {catchUp: () => (o.ha as NonNullable<typeof o.ha>).catchUp(), deliveryIdOf: (postId: string) => this.deliveryIdOf(postId)} : {}),
      opsChannelId: () => this.p.ops.id(),
      amendWaiting: (id, content) => void this.outbox.amendWaiting(id, content),
      sign: (content) => this.signedAlert(content),
      incidents: this.incidents,
      roles: this.p.roles,
      who: {ack: o.actions.ackRole, mute: o.actions.muteRole},
      opsChannel: o.actions.opsChannel,
      now: this.now,
      log: o.log,
    });
  }

  /** The buttons' token key and where Mattermost reaches them, when buttons are on (SLO alert roots carry them too). */
  buttonTarget(): {publicUrl: string; key: Buffer} | null {
    const key = this.o.actions ? this.p.actionStore?.key : undefined;
    return key && this.o.publicUrl ? {publicUrl: this.o.publicUrl, key} : null;
  }

  /** POST /actions/slo: the SLO alerts' buttons, with the same key, replay memory and roles as the incident buttons. */
  sloActionsPlugin(slo: SloActionPort): FastifyPluginAsync {
    const store = this.p.actionStore;
    const guard = this.guard();
    const o = this.o;
    const ha = o.ha;
    if (!store || !o.actions || !guard) return async () => undefined;
    return sloActionRoutes({
      key: store.key,
      guard,
      slo,
      incidents: this.incidents,
      roles: this.p.roles,
      who: {ack: o.actions.ackRole, mute: o.actions.muteRole},
      opsChannel: o.actions.opsChannel,
      opsChannelId: () => this.p.ops.id(),
      // Several bridges: a follower hands acknowledgements to the leader (mutes are forwarded by the incidents).
      ...(ha ? {forward: {local: () => ha.lease.canSend(), ack: (request) => ha.forwardSloAck(request)}} : {}),
      now: this.now,
      log: o.log,
    });
  }

  /** `/healthcheck ack [incident]`: the same as the button, for the user the server names. */
  async acknowledge(userId: string, incident: string | null): Promise<string> {
    const found = this.incidents.findOpen(incident);
    if (!found)
      return incident === null && this.incidents.openIncidents().length > 1
        ? 'Several incidents are open; name one: ' +
            this.incidents
              .openIncidents()
              .map((i) => `\`${i.target}\``)
              .join(', ')
        : 'No such open incident.';
    const done = await perform(
      {incidents: this.incidents, roles: this.p.roles, who: {ack: this.o.actions?.ackRole ?? 'ops_channel', mute: this.o.actions?.muteRole ?? 'system_admin'}, opsChannel: this.o.opsChannel},
      found.id,
      'ack',
      userId,
      this.now(),
    );
    const root = this.rootOf(found.id);
    if (done.changed && done.update && root) this.outbox.update(root.deliveryId, this.signedAlert(done.update), this.now());
    return done.text;
  }

  /** An alert's content (a root's update) signed as it leaves the service, when a key is given. */
  private signedAlert<T extends {message: string; props: Record<string, unknown>}>(content: T): T {
    return this.o.sign ? {...content, props: this.o.sign({type: ALERT_POST_TYPE, props: content.props}).props} : content;
  }

  private botId: (() => Promise<string>) | null = null;

  /** The delivery id a post of this bot's in the ops channel carries, read from the server (null: not such a post, or unreadable). */
  private async deliveryIdOf(postId: string): Promise<string | null> {
    if (!/^[a-z0-9]{26}$/.test(postId)) return null;
    try {
      this.botId ??= this.o.botUserId ?? meResolver(this.o.bot);
      const [post, bot, ops] = await Promise.all([this.o.bot.get<MmPost>(`/posts/${postId}`, {signal: AbortSignal.timeout(5_000)}), this.botId(), this.p.ops.id()]);
      const id = post.props?.[DELIVERY_ID_PROP];
      return post.user_id === bot && post.channel_id === ops && post.delete_at === 0 && typeof id === 'string' ? id : null;
    } catch {
      return null;
    }
  }

  private rootOf(incidentId: string): {deliveryId: string; postId: string | null} | null {
    const incident = [...this.incidents.openIncidents(), ...this.incidents.recentIncidents()].find((i) => i.id === incidentId);
    return incident?.rootDeliveryId ? {deliveryId: incident.rootDeliveryId, postId: this.outbox.postIdOf(incident.rootDeliveryId)} : null;
  }

  start(): void {
    const ha = this.o.ha;
    // Several bridges: the outbox runs on the leader only, and a new leader registers /healthcheck.
    if (ha) {
      ha.onLeader = (leader) => {
        if (leader) this.registerLater(0);
      };
      ha.start(this.p);
    } else this.outbox.start();
    this.p.store?.start();
    this.p.sweep?.start();
    this.tickTimer = setInterval(() => this.incidents.tick(this.now()), this.o.tickMs ?? 15_000);
    this.tickTimer.unref();
    void this.p.ops.id().catch(() => undefined);
    this.registerLater(0);
  }

  async stop(): Promise<void> {
    if (this.tickTimer) clearInterval(this.tickTimer);
    if (this.registerTimer) clearTimeout(this.registerTimer);
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.p.sweep?.stop();
    await this.outbox.stop();
    // Several bridges: the last changes written while still the leader, then the lease given up.
    if (this.o.ha) {
      await this.p.store?.flush();
      await this.o.ha.stop();
    }
    await this.p.store?.stop();
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
      await this.p.tokens.refresh();
      this.refreshTimer ??= setInterval(
        () => void this.p.tokens.refresh().catch((err: unknown) => o.log.warn('slash: could not read the command registrations; keeping the known tokens', {error: describeError(err)})),
        o.slashRefreshMs ?? 300_000,
      );
      this.refreshTimer.unref();
    } catch (err) {
      o.log.warn('slash: could not register /healthcheck or read its tokens; will retry', {error: describeError(err)});
      this.registerLater(o.registerRetryMs ?? 30_000);
    }
  }
}
