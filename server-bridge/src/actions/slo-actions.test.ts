import {generateKeyPairSync, randomBytes, sign} from 'node:crypto';
import Fastify from 'fastify';
import {SLO_ALERT_POST_TYPE, SLO_ALERT_PROP, type SloAlertData} from '../contract';
import {DEFAULT_INCIDENT_SETTINGS, IncidentManager, type AlertOutbox} from '../incidents/incidents';
import type {NewItem} from '../outbox/outbox';
import {ResultHistory} from '../results/history';
import {postSigner, publicKeyOf, verifyPost} from '../signing/post-signer';
import {SloStateSlot} from '../slo/alert-state';
import {rootPost} from '../slo/alert-post';
import type {SloAlert} from '../slo/burn-alerts';
import {DEFAULT_SLOS, type Slo} from '../slo/definitions';
import {evaluate} from '../slo/evaluate';
import {SloService} from '../slo/service';
import {applySloAck, sloActionPort, sloAlertOutbox} from '../bridge/slo-actions';
import {actionToken, buttonExpiry, checkActionToken} from './action-token';
import {ReplayGuard} from './replay-guard';
import type {RoleReader} from './roles';
import {SLO_ACTIONS_PATH, sloSubject, sloTokenFor, type SloAction} from './slo-buttons';
import type {SloAckRequest} from './slo-perform';
import {sloActionRoutes} from './slo-route';
import {signingKey} from './trigger-id';
import {TriggerGuard} from './trigger-guard';

const KEY = randomBytes(32);
const {publicKey, privateKey} = generateKeyPairSync('ec', {namedCurve: 'prime256v1'});
const SERVER_KEY = signingKey(publicKey.export({format: 'der', type: 'spki'}).toString('base64'));
const POST_KEY = generateKeyPairSync('ec', {namedCurve: 'prime256v1'}).privateKey;
const ADMIN = 'a'.repeat(26);
const MEMBER = 'm'.repeat(26);
const OUTSIDER = 'o'.repeat(26);
const OPS = 'c'.repeat(26);
const ROOT_POST = 'r'.repeat(26);
const NOW = 1_000_000_000;
const EXPIRES = buttonExpiry(NOW);
const slo: Slo = {...(DEFAULT_SLOS[0] as Slo), target: 'mm'};
const ALERT: SloAlert = {
  id: 'slo_log-in_999_ab12cd34',
  slo: slo.name,
  rule: 'fast',
  severity: 'page',
  openedAt: NOW - 60_000,
  resolvedAt: null,
  rootDeliveryId: 'slo_log-in_999_ab12cd34:root',
  peakBurn: 20,
  lastFiringAt: NOW,
};

function triggerId(userId: string, at: number): string {
  const data = `${randomBytes(13).toString('hex')}:${userId}:${at}:`;
  return Buffer.from(data + sign('sha256', Buffer.from(data), {key: privateKey, dsaEncoding: 'der'}).toString('base64')).toString('base64');
}

const roles: RoleReader = {
  user: async (id) => (id === ADMIN ? {username: 'boss', admin: true} : id === MEMBER ? {username: 'oncall', admin: false} : id === OUTSIDER ? {username: 'visitor', admin: false} : null),
  inOpsChannel: async (id) => id === MEMBER,
  opsChannelPrivate: async () => true,
};

class Sink implements AlertOutbox {
  /** False: the root's post id is not known here yet (a follower before its next reload). */
  rootPosted = true;
  items: NewItem[] = [];
  updates: {deliveryId: string; message: string; props: Record<string, unknown>}[] = [];
  enqueue(item: NewItem): string {
    this.items.push(item);
    return item.deliveryId ?? `d${this.items.length}`;
  }
  update(deliveryId: string, content: {message: string; props: Record<string, unknown>}): void {
    this.updates.push({deliveryId, ...content});
  }
  postIdOf(deliveryId: string): string | null {
    return deliveryId === ALERT.rootDeliveryId && this.rootPosted ? ROOT_POST : null;
  }
}

async function setup(o: {now?: number; follower?: boolean} = {}) {
  const now = o.now ?? NOW;
  const sink = new Sink();
  const incidents = new IncidentManager({...DEFAULT_INCIDENT_SETTINGS, opsChannelId: OPS}, sink);
  const outbox = sloAlertOutbox({outbox: sink, sign: postSigner(POST_KEY), buttons: {publicUrl: 'http://bridge:8075/', key: KEY}, isMuted: (p, t) => incidents.isMuted(p, t), now: () => now});
  const service = new SloService({
    slos: [slo],
    history: new ResultHistory(),
    outbox,
    opsChannelId: OPS,
    logChannelId: async () => 'log',
    isMuted: (p, t) => incidents.isMuted(p, t),
    state: new SloStateSlot({open: [{...ALERT}], resolved: [], lastMonthlyReport: null}),
    log: {info: () => undefined, warn: () => undefined, error: () => undefined},
    now: () => now,
  });
  const port = sloActionPort(
    () => service,
    (id) => sink.postIdOf(id),
  );
  const forwarded: SloAckRequest[] = [];
  const app = Fastify();
  await app.register(
    sloActionRoutes({
      key: KEY,
      guard: new TriggerGuard({signingKey: async () => SERVER_KEY, replays: new ReplayGuard(), save: () => undefined}),
      slo: port,
      incidents,
      roles,
      who: {ack: 'ops_channel', mute: 'system_admin'},
      opsChannel: 'healthcheck-ops',
      opsChannelId: async () => OPS,
      ...(o.follower ? {forward: {local: () => false, ack: (r: SloAckRequest) => void forwarded.push(r)}} : {}),
      now: () => now,
    }),
  );
  const body = (userId: string, action: string, over: Record<string, unknown> = {}) => ({
    user_id: userId,
    post_id: ROOT_POST,
    channel_id: OPS,
    trigger_id: triggerId(userId, now),
    context: {alert: ALERT.id, slo: slo.name, action, expires: EXPIRES, token: sloTokenFor(KEY, ALERT.id, slo.name, action as SloAction, EXPIRES)},
    ...over,
  });
  const send = (payload: unknown) => app.inject({method: 'POST', url: SLO_ACTIONS_PATH, payload: payload as Record<string, unknown>});
  const click = (userId: string, action: string, over: Record<string, unknown> = {}) => send(body(userId, action, over));
  const acks = () => sink.items.filter((i) => i.rootDeliveryId === ALERT.rootDeliveryId && i.message.startsWith('Acknowledged by'));
  return {app, sink, incidents, service, port, click, send, body, acks, forwarded};
}

const buttonsOf = (props: Record<string, unknown>) =>
  ((props.attachments as {actions: {id: string; integration: {url: string; context: Record<string, unknown>}}[]}[] | undefined)?.[0]?.actions ?? []).map((a) => a.id);

describe('SLO alert buttons on the root', () => {
  it('carry Acknowledge and the mutes while open, bound to the alert, and the root is signed', () => {
    const sink = new Sink();
    const outbox = sloAlertOutbox({outbox: sink, sign: postSigner(POST_KEY), buttons: {publicUrl: 'http://bridge:8075/', key: KEY}, isMuted: () => false, now: () => NOW});
    const root = rootPost(ALERT, evaluate(new ResultHistory(), slo, NOW));
    outbox.enqueue({op: 'create', deliveryId: ALERT.rootDeliveryId, channelId: OPS, ...root, happenedAt: NOW});
    const item = sink.items[0] as NewItem;
    expect(item.type).toBe(SLO_ALERT_POST_TYPE);
    expect(buttonsOf(item.props)).toEqual(['ack', 'mute1h', 'mute4h']);
    const action = (item.props.attachments as {actions: {integration: {url: string; context: Record<string, unknown>}}[]}[])[0]?.actions[0];
    expect(action?.integration.url).toBe('http://bridge:8075/actions/slo');
    expect(action?.integration.context).toEqual({alert: ALERT.id, slo: 'log-in', action: 'ack', expires: EXPIRES, token: sloTokenFor(KEY, ALERT.id, 'log-in', 'ack', EXPIRES)});
    expect(verifyPost({type: item.type, props: item.props}, publicKeyOf(POST_KEY))).toBe(true);
    const data = item.props[SLO_ALERT_PROP] as SloAlertData;
    expect(data).toMatchObject({alertId: ALERT.id, slo: 'log-in', severity: 'page', state: 'open', objective: 0.995, probes: ['login']});
    // A reply is left as it is.
    outbox.enqueue({op: 'create', deliveryId: 'x', channelId: OPS, rootDeliveryId: ALERT.rootDeliveryId, message: 'Acknowledged by @x.', props: {}, happenedAt: NOW});
    expect(sink.items[1]?.props).toEqual({});
  });

  it('offer no Acknowledge once acknowledged, no mutes while the probes are muted, nothing once resolved', () => {
    const sink = new Sink();
    let muted = true;
    const outbox = sloAlertOutbox({outbox: sink, buttons: {publicUrl: 'http://b', key: KEY}, isMuted: () => muted, now: () => NOW});
    const status = evaluate(new ResultHistory(), slo, NOW);
    outbox.update(ALERT.rootDeliveryId, rootPost(ALERT, status), NOW);
    expect(buttonsOf(sink.updates[0]?.props ?? {})).toEqual(['ack']);
    muted = false;
    outbox.update(ALERT.rootDeliveryId, rootPost({...ALERT, ack: {by: 'oncall', at: NOW}}, status), NOW);
    expect(buttonsOf(sink.updates[1]?.props ?? {})).toEqual(['mute1h', 'mute4h']);
    outbox.update(ALERT.rootDeliveryId, rootPost({...ALERT, resolvedAt: NOW}, status), NOW);
    expect(sink.updates[2]?.props.attachments).toBeUndefined();
  });
});

describe('SLO alert tokens', () => {
  it('are not incident tokens, nor the other way round', () => {
    const slo1 = sloTokenFor(KEY, ALERT.id, 'log-in', 'ack', EXPIRES);
    const incident = actionToken(KEY, ALERT.id, 'ack', EXPIRES);
    expect(checkActionToken(KEY, sloSubject(ALERT.id, 'log-in'), 'ack', EXPIRES, slo1, NOW, 'slo')).toBe('ok');
    expect(checkActionToken(KEY, ALERT.id, 'ack', EXPIRES, slo1, NOW)).toBe('forged');
    expect(checkActionToken(KEY, sloSubject(ALERT.id, 'log-in'), 'ack', EXPIRES, slo1, NOW)).toBe('forged');
    expect(checkActionToken(KEY, ALERT.id, 'ack', EXPIRES, incident, NOW, 'slo')).toBe('forged');
    expect(checkActionToken(KEY, sloSubject(ALERT.id, 'search'), 'ack', EXPIRES, slo1, NOW, 'slo')).toBe('forged');
    expect(checkActionToken(KEY, sloSubject(ALERT.id, 'log-in'), 'mute1h', EXPIRES, slo1, NOW, 'slo')).toBe('forged');
  });
});

describe('POST /actions/slo', () => {
  it('acknowledges once for an ops channel member: one reply, the root edited once, as /healthcheck slo ack does', async () => {
    const s = await setup();
    const res = await s.click(MEMBER, 'ack');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ephemeral_text: ':eyes: Acknowledged; the ops channel is told in the thread.'});
    expect(s.acks().map((i) => i.message)).toEqual(['Acknowledged by @oncall.']);
    expect(s.sink.updates).toHaveLength(1);
    const edit = s.sink.updates[0];
    expect(edit?.deliveryId).toBe(ALERT.rootDeliveryId);
    expect(edit?.message).toContain('Acknowledged by @oncall');
    expect((edit?.props[SLO_ALERT_PROP] as SloAlertData).ack).toEqual({by: 'oncall', at: NOW});
    expect(buttonsOf(edit?.props ?? {})).toEqual(['mute1h', 'mute4h']);
    expect(verifyPost({type: SLO_ALERT_POST_TYPE, props: edit?.props}, publicKeyOf(POST_KEY))).toBe(true);
    // Again (a new click, by an admin), and the command: nothing more.
    expect((await s.click(ADMIN, 'ack')).json().ephemeral_text).toMatch(/^Already acknowledged by @oncall/);
    expect(s.service.acknowledge(ALERT.id, 'boss')).toContain('already acknowledged');
    expect(s.acks()).toHaveLength(1);
    expect(s.sink.updates).toHaveLength(1);
  });

  it('refuses a token of an incident, of another alert or action, and a forged one (403, nothing changes)', async () => {
    const s = await setup();
    const context = (over: Record<string, unknown>) => ({context: {alert: ALERT.id, slo: 'log-in', action: 'ack', expires: EXPIRES, ...over}});
    for (const over of [
      {token: actionToken(KEY, ALERT.id, 'ack', EXPIRES)},
      {token: actionToken(KEY, sloSubject(ALERT.id, 'log-in'), 'ack', EXPIRES)},
      {token: sloTokenFor(KEY, 'slo_log-in_1_00000000', 'log-in', 'ack', EXPIRES)},
      {token: sloTokenFor(KEY, ALERT.id, 'log-in', 'mute4h', EXPIRES)},
      {token: sloTokenFor(KEY, ALERT.id, 'log-in', 'ack', EXPIRES), expires: EXPIRES + 86_400_000},
      {token: sloTokenFor(KEY, ALERT.id, 'log-in', 'ack', EXPIRES), slo: 'search'},
      {token: 'guessed'},
      {token: sloTokenFor(KEY, ALERT.id, 'log-in', 'unmute' as SloAction, EXPIRES), action: 'unmute'},
    ])
      expect((await s.click(ADMIN, 'ack', context(over))).statusCode).toBe(403);
    expect(s.acks()).toHaveLength(0);
    expect(s.sink.updates).toHaveLength(0);
  });

  it('answers an expired button without acting, and refuses a replayed click', async () => {
    const late = await setup({now: EXPIRES + 1});
    const expired = await late.click(ADMIN, 'ack');
    expect(expired.statusCode).toBe(200);
    expect(expired.json().ephemeral_text).toContain('expired');
    expect(late.acks()).toHaveLength(0);

    const s = await setup();
    const once = s.body(ADMIN, 'mute1h');
    expect((await s.send(once)).statusCode).toBe(200);
    expect((await s.send(once)).statusCode).toBe(409);
    expect((await s.send({...once, trigger_id: undefined})).statusCode).toBe(403);
  });

  it('checks the role the server gives and the post and channel of the alert', async () => {
    const s = await setup();
    expect((await s.click(OUTSIDER, 'ack')).json().ephemeral_text).toContain('Only members of the ops channel');
    expect((await s.click(MEMBER, 'mute4h')).json().ephemeral_text).toContain('Only system admins');
    expect((await s.click(ADMIN, 'ack', {post_id: 'x'.repeat(26)})).statusCode).toBe(403);
    expect((await s.click(ADMIN, 'ack', {channel_id: 'x'.repeat(26)})).statusCode).toBe(403);
    expect(s.acks()).toHaveLength(0);
    expect(s.incidents.activeMutes(NOW)).toEqual([]);
  });

  it("mutes the objective's probes for an admin, once", async () => {
    const s = await setup();
    const res = await s.click(ADMIN, 'mute4h');
    expect(res.json().ephemeral_text).toBe('🔇 Alerts muted for `login` for 4 h. Probes keep running.');
    expect(s.incidents.activeMutes(NOW).map((m) => [m.probe, m.until, m.by])).toEqual([['login', NOW + 4 * 3_600_000, 'boss']]);
    expect((await s.click(ADMIN, 'mute1h')).json().ephemeral_text).toMatch(/^Alerts of `login` are already muted until/);
    expect(s.incidents.activeMutes(NOW)).toHaveLength(1);
  });

  it('several bridges: a follower hands the acknowledgement to the leader, which applies it once to that root only', async () => {
    const follower = await setup({follower: true});
    expect((await follower.click(MEMBER, 'ack')).json().ephemeral_text).toContain('the bridge that posts tells the ops channel');
    expect(follower.acks()).toHaveLength(0);
    expect(follower.forwarded).toEqual([{alertId: ALERT.id, by: 'oncall', at: NOW, postId: ROOT_POST}]);
    const leader = await setup();
    const request = follower.forwarded[0] as SloAckRequest;
    expect(applySloAck(leader.port, {...request, postId: 'x'.repeat(26)})).toBe(false);
    expect(applySloAck(leader.port, request)).toBe(true);
    expect(applySloAck(leader.port, request)).toBe(false);
    expect(leader.acks().map((i) => i.message)).toEqual(['Acknowledged by @oncall.']);
    expect(leader.sink.updates).toHaveLength(1);
  });

  it("several bridges: a follower that has not read the root's post id yet hands the click on; a bridge that posts refuses it", async () => {
    const follower = await setup({follower: true});
    follower.sink.rootPosted = false;
    expect((await follower.click(MEMBER, 'ack')).statusCode).toBe(200);
    expect(follower.forwarded).toHaveLength(1);
    const single = await setup();
    single.sink.rootPosted = false;
    expect((await single.click(MEMBER, 'ack')).statusCode).toBe(403);
    expect(single.acks()).toHaveLength(0);
  });
});
