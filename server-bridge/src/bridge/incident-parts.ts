// Builds the incident service's parts once, joined to each other (state file ↔ outbox ↔ incidents ↔
// report ledger, command tokens, button keys): compose.ts and the tests build the service only here.
import {client4Shape} from '../mm/client4-shape';
import type {MmUser} from '../mm/types';
import {channelIdResolver, meResolver} from '../mm/lookups';
import {DuplicateSweep} from '../outbox/duplicate-sweep';
import {Outbox} from '../outbox/outbox';
import {createOutboxMetrics} from '../outbox/metrics';
import {mattermostPostApi} from '../outbox/post-api';
import {ReportLedger} from '../report/ledger';
import {ensureSlashCommands, teamsByName, trustedCreators, DEFAULT_TRIGGER, SlashPermissionError} from '../slash/register';
import {SLASH_PATH} from '../slash/route';
import {CommandTokens} from '../slash/command-tokens';
import {fetchSiteUrl} from '../slash/server-calls';
import type {CommandToken} from '../slash/token';
import {StateStore, type StateStoreOptions} from '../state/store';
import {IncidentManager, type AlertOutbox, type Incident} from '../incidents/incidents';
import {ALERT_POST_TYPE} from '../contract';
import {ActionStore} from '../actions/action-store';
import {incidentButtons} from '../actions/buttons';
import {serverRoles} from '../actions/roles';
import {SloStateSlot} from '../slo/alert-state';
import {IncidentService, type IncidentParts, type IncidentServiceOptions, type OpsChannel} from './incident-service';

/** Where incident posts go until the ops channel's id is known. */
const OPS_REF = '~ops';

/** The parts, restored from the state file when there is one. */
export async function incidentParts(o: IncidentServiceOptions): Promise<IncidentParts> {
  const now = o.now ?? Date.now;
  // Restoring changes nothing worth a write: saves count only once every part is built.
  let loaded = false;
  // lazy: trackers, reports or the ledger only; incidents, mutes and alert posts are written within a second.
  const save = (lazy = false) => {
    if (loaded) store?.changed(lazy);
  };
  const store: StateStore | null =
    o.stateFile || o.store || o.ha
      ? new StateStore({
          file: o.stateFile,
          writable: o.ha ? () => o.ha?.lease.canSend() === true : undefined,
          build: (): ReturnType<StateStoreOptions['build']> => ({
            incidents: incidents.snapshot(),
            outbox: outbox.snapshot(),
            reports: reportLedger.snapshot(),
            ...(sloState.current ? {slo: sloState.current} : {}),
          }),
          store: o.store ?? o.ha?.store,
          history: o.history,
          // Several bridges: each bridge's own history in its row of the store.
          historyStore: o.ha?.history,
          log: o.log,
          now,
          delayMs: o.saveDelayMs,
          historyEveryMs: o.historySaveMs,
        })
      : null;
  const state = await store?.load();
  // The burn-rate alerts' state, set by the objectives (built later, on this outbox): in the same change sets.
  const sloState = new SloStateSlot(state?.slo ?? null, {changed: () => save(), durable: () => (store ? store.durable() : Promise.resolve())});
  const site = {url: o.siteUrl.replace(/\/+$/, '')};
  const tokens = new CommandTokens({load: () => readTokens(o, site), onToken: o.onSecret, registry: o.registry});
  const resolveOps = channelIdResolver(o.bot, o.team, o.opsChannel);
  let opsId: string | null = null;
  const ops: OpsChannel = {id: async () => (opsId = await resolveOps()), known: () => opsId};
  const api = mattermostPostApi(
    o.bot,
    async (ref) => {
      if (ref === OPS_REF) return ops.id();
      throw new Error(`unknown channel reference ${ref}`);
    },
    o.botUserId,
  );
  const isOpenRoot = (id: string) => incidents.openIncidents().some((i) => i.rootDeliveryId === id);
  const reportLedger: ReportLedger = new ReportLedger(state?.reports, () => save(true));
  const metrics = o.registry ? createOutboxMetrics(o.registry, () => outbox.counts()) : null;
  const outbox: Outbox = new Outbox({
    api,
    ...o.outbox,
    now,
    log: o.log,
    state: state?.outbox,
    // Roots of open incidents and of open burn-rate alerts (o.keepDelivery) stay known however many posts follow.
    keep: (id) => isOpenRoot(id) || o.keepDelivery?.(id) === true,
    onChange: save,
    // Write-ahead: nothing is sent before it (and the change that caused it) is in the store.
    persist: () => (store ? store.durable() : Promise.resolve()),
    // Several bridges: a leader whose lease is about to run out sends nothing more.
    mayAttempt: o.ha ? () => o.ha?.lease.canSend() === true : undefined,
    onDropped: (item, reason) => metrics?.dropped(item, reason),
    onParked: (item) => metrics?.parked(item),
    onDelivered: (item, postId) => {
      if (item.lane === 'report') reportLedger.add(postId, now());
      // The caller's hook too (delivery metrics, the bot status naming the latest report).
      o.outbox?.onDelivered?.(item, postId);
    },
  });
  const roles = serverRoles(o.bot, () => ops.id());
  // The key of the buttons and the replay memory of signed requests (buttons and /healthcheck's acting subcommands).
  const actionStore = o.actions || o.publicUrl !== undefined ? new ActionStore({file: o.stateFile ? `${o.stateFile}.actions` : null, configuredKey: o.actions?.secret, log: o.log}) : null;
  const key = o.actions ? actionStore?.key : undefined;
  // Read when a root is built: without a public URL Mattermost could not reach the buttons' target.
  const rootExtras = key ? (i: Incident, mutedUntil: number | null) => (o.publicUrl ? incidentButtons({publicUrl: o.publicUrl, key}, i, mutedUntil, now()) : {}) : undefined;
  // Alerts are signed as they leave the incidents, before the outbox stores them (contract/signature.ts).
  const sign = o.sign;
  const signed = (content: {props: Record<string, unknown>}) => (sign ? sign({type: ALERT_POST_TYPE, props: content.props}).props : content.props);
  const alerts: AlertOutbox = sign
    ? {
        enqueue: (item) => outbox.enqueue({...item, props: item.type === ALERT_POST_TYPE ? signed(item) : item.props}),
        update: (deliveryId, content, at) => outbox.update(deliveryId, {...content, props: signed(content)}, at),
        postIdOf: (deliveryId) => outbox.postIdOf(deliveryId),
      }
    : outbox;
  const incidents: IncidentManager = new IncidentManager({...o.settings, opsChannelId: OPS_REF, rootExtras}, alerts, state?.incidents, save);
  loaded = true;
  // Doubles are counted, not assumed away: the ops channel is read now and then for two posts of one delivery.
  const sweep = new DuplicateSweep({
    bot: o.bot,
    botUserId: o.botUserId ?? meResolver(o.bot),
    channels: async () => [await ops.id()],
    onDuplicate: (_id, posts) => metrics?.duplicates(posts.length - 1),
    log: o.log,
    now,
  });
  return {store, outbox, incidents, reportLedger, sloState, tokens, actionStore, roles, ops, site, sweep};
}

/** The service on parts built here: what compose.ts and the tests start. */
export async function incidentService(o: IncidentServiceOptions, parts?: IncidentParts): Promise<IncidentService> {
  return new IncidentService(o, parts ?? (await incidentParts(o)));
}

/**
 * The tokens /healthcheck accepts now: the configured ones (by team) and those of the current
 * registrations (registered or put right first when the bridge has a public URL). Also learns
 * the server's Site URL, which Mattermost builds response_url from.
 */
async function readTokens(o: IncidentServiceOptions, site: {url: string}): Promise<CommandToken[]> {
  const learned = await fetchSiteUrl(o.bot, 5000).catch(() => null);
  if (learned) site.url = learned;
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
    const botUserId = o.botUserId ?? (async () => (await o.bot.get<MmUser>('/users/me')).id);
    // Several bridges: the leader registers; the others read what is there.
    const readOnly = o.ha ? !o.ha.lease.canSend() : false;
    const adoption = {readOnly, creator: trustedCreators(botUserId, (id) => o.bot.get<MmUser>(`/users/${encodeURIComponent(id)}`)), refused: [] as string[]};
    const regs = await ensureSlashCommands(clients.map(client4Shape), teams, {trigger: o.trigger ?? DEFAULT_TRIGGER, url: `${o.publicUrl.replace(/\/+$/, '')}${SLASH_PATH}`}, changes, adoption);
    for (const c of changes) o.log.info(`slash: ${c}`);
    for (const r of adoption.refused) o.log.warn(`slash: ${r}`);
    return [...configured, ...regs.map((r) => ({teamId: r.teamId, token: r.token, commandId: r.commandId}))];
  } catch (err) {
    if (err instanceof SlashPermissionError && configured.length > 0) {
      o.log.info('slash: the bot may not manage slash commands; using the configured command tokens', {error: err.message});
      return configured;
    }
    throw err;
  }
}
