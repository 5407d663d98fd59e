import {createHmac, generateKeyPairSync, randomBytes, sign} from 'node:crypto';
import Fastify from 'fastify';
import {ALERT_PROP, DELIVERY_ID_PROP} from '../contract';
import {DEFAULT_INCIDENT_SETTINGS, IncidentManager, type AlertOutbox} from '../incidents/incidents';
import type {NewItem} from '../outbox/outbox';
import type {ProbeResult} from '../probes/types';
import {actionToken, buttonExpiry, checkActionToken, BUTTON_WINDOW_MS} from './action-token';
import {ACTIONS_PATH, incidentButtons} from './buttons';
import {ReplayGuard} from './replay-guard';
import type {RoleReader} from './roles';
import {actionRoutes} from './route';
import {signingKey, verifyTriggerId} from './trigger-id';
import {TriggerGuard} from './trigger-guard';
import {Registry} from 'prom-client';

const KEY = randomBytes(32);
const {publicKey, privateKey} = generateKeyPairSync('ec', {namedCurve: 'prime256v1'});
const PUBLIC_B64 = publicKey.export({format: 'der', type: 'spki'}).toString('base64');
const ADMIN = 'a'.repeat(26);
const MEMBER = 'm'.repeat(26);
const OUTSIDER = 'o'.repeat(26);
const OPS = 'c'.repeat(26);
const POST = 'p'.repeat(26);

/** A trigger_id as the server makes it (model.GenerateTriggerId): base64("id:user:millis:" + base64(ASN.1 ECDSA signature)). */
function triggerId(userId: string, at: number, clientId = randomBytes(13).toString('hex').slice(0, 26), key = privateKey): string {
  const data = `${clientId}:${userId}:${at}:`;
  const signature = sign('sha256', Buffer.from(data), {key, dsaEncoding: 'der'}).toString('base64');
  return Buffer.from(data + signature).toString('base64');
}

class Sink implements AlertOutbox {
  items: NewItem[] = [];
  updates: {deliveryId: string; message: string}[] = [];
  enqueue(item: NewItem): string {
    this.items.push(item);
    return item.deliveryId ?? `d${this.items.length}`;
  }
  update(deliveryId: string, content: {message: string}): void {
    this.updates.push({deliveryId, message: content.message});
  }
  postIdOf(): string | null {
    return POST;
  }
}

const failing = (probe: string, at: number): ProbeResult => ({probe, target: 'chat', ok: false, durationMs: 5, startedAt: at, checks: [], error: 'down'});

const ops = {private: true};
const roles: RoleReader = {
  user: async (id) => (id === ADMIN ? {username: 'boss', admin: true} : id === MEMBER ? {username: 'oncall', admin: false} : id === OUTSIDER ? {username: 'visitor', admin: false} : null),
  inOpsChannel: async (id) => id === MEMBER,
  opsChannelPrivate: async () => ops.private,
};
afterEach(() => (ops.private = true));

const EXPIRES = buttonExpiry(1_000_000);

async function setup(
  now = 1_000_000,
  key: () => Promise<ReturnType<typeof signingKey> | null> = async () => signingKey(PUBLIC_B64),
  follower?: {knowsRoot: boolean; catchUps: number; storeHasPostId?: boolean; posts?: Record<string, string>},
) {
  const sink = new Sink();
  const incidents = new IncidentManager(
    {...DEFAULT_INCIDENT_SETTINGS, opsChannelId: OPS, reminderIntervalMs: 60_000, rootExtras: (i, m) => incidentButtons({publicUrl: 'http://bridge:8075', key: KEY}, i, m, now)},
    sink,
  );
  incidents.observe([failing('ping', now - 2000)], now - 2000);
  incidents.observe([failing('ping', now - 1000)], now - 1000);
  const incident = incidents.openIncidents()[0];
  if (!incident) throw new Error('no incident opened');
  const app = Fastify();
  const replays = new ReplayGuard();
  const saved: number[] = [];
  const registry = new Registry();
  await app.register(
    actionRoutes({
      key: KEY,
      guard: new TriggerGuard({signingKey: key, replays, save: (t) => saved.push(t), registry}),
      rootOf: (id) => (id === incident.id ? {deliveryId: incident.rootDeliveryId as string, postId: !follower || follower.knowsRoot ? POST : null} : null),
      ...(follower
        ? {
            catchUp: async () => {
              follower.catchUps++;
              follower.knowsRoot = follower.storeHasPostId ?? true;
            },
            deliveryIdOf: async (postId: string) => follower.posts?.[postId] ?? null,
          }
        : {}),
      opsChannelId: async () => OPS,
      incidents,
      roles,
      who: {ack: 'ops_channel', mute: 'system_admin'},
      opsChannel: 'healthcheck-ops',
      now: () => now,
    }),
  );
  const click = (userId: string, action: string, over: Record<string, unknown> = {}) =>
    app.inject({
      method: 'POST',
      url: ACTIONS_PATH,
      payload: {
        user_id: userId,
        post_id: POST,
        channel_id: OPS,
        trigger_id: triggerId(userId, now),
        context: {incident: incident.id, action, expires: EXPIRES, token: actionToken(KEY, incident.id, action as 'ack', EXPIRES)},
        ...over,
      },
    });
  return {app, sink, incidents, incident, click, saved, now, registry};
}

describe('action tokens', () => {
  it('match only their incident, action and window end, whatever is given', () => {
    const t = actionToken(KEY, 'inc_a_1', 'ack', EXPIRES);
    const check = (incident: string, action: 'ack' | 'mute1h', given: unknown, key = KEY, expires: unknown = EXPIRES) => checkActionToken(key, incident, action, expires, given, 1_000_000);
    expect(check('inc_a_1', 'ack', t)).toBe('ok');
    expect(check('inc_a_1', 'mute1h', t)).toBe('forged');
    expect(check('inc_b_1', 'ack', t)).toBe('forged');
    expect(check('inc_a_1', 'ack', t, randomBytes(32))).toBe('forged');
    // A later end written into the context does not stretch the window.
    expect(check('inc_a_1', 'ack', t, KEY, EXPIRES + 86_400_000)).toBe('forged');
    for (const expires of [undefined, '1', -1, 1.5]) expect(checkActionToken(KEY, 'inc_a_1', 'ack', expires, t, 1_000_000)).toBe('forged');
    // A button made before tokens had a window: recognised, and answered as expired, never taken.
    const legacy = createHmac('sha256', KEY).update('healthcheck-action\ninc_a_1\nack', 'utf8').digest('base64url');
    expect(checkActionToken(KEY, 'inc_a_1', 'ack', undefined, legacy, 1_000_000)).toBe('expired');
    expect(checkActionToken(KEY, 'inc_a_1', 'mute1h', undefined, legacy, 1_000_000)).toBe('forged');
    for (const bad of [undefined, null, 42, '', t.slice(1), {t}]) expect(check('inc_a_1', 'ack', bad)).toBe('forged');
  });

  it('end a week after the root was written, the same for a whole day', () => {
    expect(buttonExpiry(1_000_000)).toBe(buttonExpiry(1_000_000 + 3_600_000));
    expect(buttonExpiry(1_000_000)).toBeGreaterThanOrEqual(1_000_000 + BUTTON_WINDOW_MS);
    expect(buttonExpiry(1_000_000)).toBeLessThanOrEqual(1_000_000 + BUTTON_WINDOW_MS + 86_400_000);
    const t = actionToken(KEY, 'inc_a_1', 'ack', EXPIRES);
    expect(checkActionToken(KEY, 'inc_a_1', 'ack', EXPIRES, t, EXPIRES)).toBe('ok');
    expect(checkActionToken(KEY, 'inc_a_1', 'ack', EXPIRES, t, EXPIRES + 1)).toBe('expired');
  });
});

describe('trigger_id', () => {
  const key = signingKey(PUBLIC_B64);
  it('verifies a server-made id for its user within the age', () => {
    const check = verifyTriggerId(triggerId(MEMBER, 5000, 'abc'), key, MEMBER, 6000, 60_000);
    expect(check).toEqual({ok: true, trigger: {clientTriggerId: 'abc', userId: MEMBER, at: 5000}});
  });
  it('refuses another user, an old one, another key, a tampered one and junk', () => {
    const other = generateKeyPairSync('ec', {namedCurve: 'prime256v1'}).privateKey;
    expect(verifyTriggerId(triggerId(MEMBER, 5000), key, ADMIN, 6000, 60_000)).toMatchObject({ok: false, reason: expect.stringContaining('another user')});
    expect(verifyTriggerId(triggerId(MEMBER, 5000), key, MEMBER, 600_000, 60_000)).toMatchObject({ok: false, reason: expect.stringContaining('too old')});
    expect(verifyTriggerId(triggerId(MEMBER, 5000, 'x', other), key, MEMBER, 6000, 60_000)).toMatchObject({ok: false});
    const tampered = Buffer.from(Buffer.from(triggerId(MEMBER, 5000), 'base64').toString().replace(MEMBER, ADMIN)).toString('base64');
    expect(verifyTriggerId(tampered, key, ADMIN, 6000, 60_000)).toMatchObject({ok: false, reason: expect.stringContaining('signature')});
    for (const junk of [undefined, '', 'bm90IGEgdHJpZ2dlcg==', 'a:b:c:d', 42]) expect(verifyTriggerId(junk, key, MEMBER, 6000, 60_000).ok).toBe(false);
  });
});

describe('replay guard', () => {
  it('accepts an id once until it expires', () => {
    const g = new ReplayGuard();
    expect(g.accept('x', 100, 0)).toBe(true);
    expect(g.accept('x', 100, 50)).toBe(false);
    expect(g.entries(50)).toEqual([{id: 'x', until: 100}]);
    expect(g.entries(100)).toEqual([]);
  });
});

describe('buttons', () => {
  it('offer acknowledge and mutes while open, unmute while muted, none once resolved; the context holds a token, never the key', async () => {
    const {incident, incidents, now} = await setup();
    const attachments = (p: Record<string, unknown>) => (p.attachments as {actions: {id: string; integration: {url: string; context: Record<string, string>}}[]}[] | undefined)?.[0]?.actions ?? [];
    const open = attachments(incidents.rootOf(incident.id, now)?.props ?? {});
    expect(open.map((a) => a.id)).toEqual(['ack', 'mute1h', 'mute4h']);
    expect(open[0]?.integration).toEqual({
      url: 'http://bridge:8075/actions/incident',
      context: {incident: incident.id, action: 'ack', expires: EXPIRES, token: actionToken(KEY, incident.id, 'ack', EXPIRES)},
    });
    expect(JSON.stringify(open)).not.toContain(KEY.toString('base64'));
    incidents.mute(null, 3_600_000, 'boss', now);
    expect(attachments(incidents.rootOf(incident.id, now)?.props ?? {}).map((a) => a.id)).toEqual(['ack', 'unmute']);
  });
});

describe('POST /actions/incident', () => {
  it('acknowledges for an ops channel member: the root says who and when, one thread line, the buttons change, the delivery id stays', async () => {
    const {click, sink, incident, saved} = await setup();
    const res = await click(MEMBER, 'ack');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.update.message).toContain('Acknowledged by @oncall');
    expect(body.update.props[DELIVERY_ID_PROP]).toBe(incident.rootDeliveryId);
    expect(body.update.props[ALERT_PROP].ack).toMatchObject({by: 'oncall'});
    expect(body.update.props.attachments[0].actions.map((a: {id: string}) => a.id)).toEqual(['mute1h', 'mute4h']);
    expect(sink.items.filter((i) => i.deliveryId === `${incident.id}:ack`)).toHaveLength(1);
    expect(saved).toHaveLength(1);
    // Clicked again (a new click, so a new trigger): nothing changes.
    const again = await click(ADMIN, 'ack');
    expect(again.json()).toEqual({ephemeral_text: expect.stringContaining('Already acknowledged by @oncall')});
    expect(sink.items.filter((i) => i.deliveryId === `${incident.id}:ack`)).toHaveLength(1);
  });

  it('takes a click on a root a follower learns of only by reading the store again (posted since its last reload), and reads it once', async () => {
    const follower = {knowsRoot: false, catchUps: 0};
    const {click, sink, incident} = await setup(undefined, undefined, follower);
    const res = await click(MEMBER, 'ack');
    expect(res.statusCode).toBe(200);
    expect(res.json().update.message).toContain('Acknowledged by @oncall');
    expect(sink.items.filter((i) => i.deliveryId === `${incident.id}:ack`)).toHaveLength(1);
    expect(follower.catchUps).toBe(1);
    // Another post of the channel is refused after the one read, as before.
    follower.knowsRoot = true;
    const other = await click(ADMIN, 'mute1h', {post_id: 'q'.repeat(26)});
    expect(other.statusCode).toBe(403);
    expect(follower.catchUps).toBe(2);
  });

  it("takes a click on a root whose post id the store lacks yet (the leader saves it a moment after posting) when the post carries the root's delivery id", async () => {
    const follower = {knowsRoot: false, catchUps: 0, storeHasPostId: false, posts: {} as Record<string, string>};
    const {click, incident} = await setup(undefined, undefined, follower);
    follower.posts[POST] = 'inc_other:root';
    expect((await click(MEMBER, 'ack')).statusCode).toBe(403);
    follower.posts[POST] = incident.rootDeliveryId as string;
    const res = await click(MEMBER, 'ack');
    expect(res.statusCode).toBe(200);
    expect(res.json().update.message).toContain('Acknowledged by @oncall');
  });

  it('refuses acknowledging to a user outside the ops channel and muting to a non-admin, changing nothing', async () => {
    const {click, incidents, sink} = await setup();
    const before = sink.items.length;
    expect((await click(OUTSIDER, 'ack')).json()).toEqual({ephemeral_text: expect.stringContaining('Only members of the ops channel')});
    expect((await click(MEMBER, 'mute1h')).json()).toEqual({ephemeral_text: expect.stringContaining('Only system admins')});
    expect(incidents.openIncidents()[0]?.ack).toBeUndefined();
    expect(incidents.activeMutes(0)).toEqual([]);
    expect(sink.items.length).toBe(before);
  });

  it('mutes for an admin once (a second click within the same end changes nothing), then unmutes', async () => {
    const {click, incidents, now} = await setup();
    const res = await click(ADMIN, 'mute4h');
    expect(res.json().update.props.attachments[0].actions.map((a: {id: string}) => a.id)).toEqual(['ack', 'unmute']);
    expect(incidents.mutedUntil(now)).toBe(now + 4 * 3_600_000);
    expect((await click(ADMIN, 'mute1h')).json().ephemeral_text).toContain('already muted');
    expect(incidents.activeMutes(now)).toHaveLength(1);
    await click(ADMIN, 'unmute');
    expect(incidents.mutedUntil(now)).toBeNull();
  });

  it('refuses forged, mismatched and replayed requests with a 4xx and changes nothing', async () => {
    const {app, click, incidents, incident, now} = await setup();
    const ctx = (over: Record<string, string>) => ({context: {incident: incident.id, action: 'ack', expires: EXPIRES, token: actionToken(KEY, incident.id, 'ack', EXPIRES), ...over}});
    expect((await click(MEMBER, 'ack', ctx({token: 'guess'}))).statusCode).toBe(403);
    expect((await click(MEMBER, 'ack', ctx({token: actionToken(randomBytes(32), incident.id, 'ack', EXPIRES)}))).statusCode).toBe(403);
    expect((await click(MEMBER, 'ack', {trigger_id: triggerId(ADMIN, now)})).statusCode).toBe(403);
    expect((await click(MEMBER, 'ack', {trigger_id: undefined})).statusCode).toBe(403);
    expect((await click(MEMBER, 'ack', {channel_id: 'x'.repeat(26)})).statusCode).toBe(403);
    expect((await click(MEMBER, 'ack', {post_id: 'x'.repeat(26)})).statusCode).toBe(403);
    expect((await app.inject({method: 'POST', url: ACTIONS_PATH, payload: 'user_id=x', headers: {'content-type': 'application/x-www-form-urlencoded'}})).statusCode).toBeGreaterThanOrEqual(400);
    expect((await app.inject({method: 'POST', url: ACTIONS_PATH, payload: {nothing: true}})).statusCode).toBe(400);
    const trigger = triggerId(MEMBER, now);
    const first = await click(MEMBER, 'unmute', {trigger_id: trigger, context: {incident: incident.id, action: 'unmute', expires: EXPIRES, token: actionToken(KEY, incident.id, 'unmute', EXPIRES)}});
    expect(first.statusCode).toBe(200);
    const replay = await click(MEMBER, 'ack', {trigger_id: trigger});
    expect(replay.statusCode).toBe(409);
    expect(incidents.openIncidents()[0]?.ack).toBeUndefined();
    // The path's action id is not what counts: the context names the action its token was made for.
    expect((await click(ADMIN, 'mute1h', ctx({}))).json().ephemeral_text).toContain('Acknowledged');
    expect(incidents.activeMutes(now)).toEqual([]);
  });

  it('refuses every click when the server publishes no signing key, or it cannot be read: a clear answer, a log line, a metric, nothing changes', async () => {
    for (const key of [async () => null, async () => Promise.reject(new Error('down'))]) {
      const {click, incidents, registry} = await setup(1_000_000, key);
      const res = await click(ADMIN, 'mute1h');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ephemeral_text: expect.stringContaining("the server's signing key is unavailable")});
      expect(incidents.activeMutes(1_000_000)).toEqual([]);
      expect(await registry.getSingleMetricAsString('healthcheck_bridge_unproven_requests_total')).toContain('healthcheck_bridge_unproven_requests_total{source="button",reason="unavailable"} 1');
    }
  });

  it('answers an expired button clearly and changes nothing', async () => {
    const {click, incidents, incident} = await setup();
    const old = buttonExpiry(1_000_000 - 8 * 86_400_000);
    const res = await click(ADMIN, 'mute1h', {context: {incident: incident.id, action: 'mute1h', expires: old, token: actionToken(KEY, incident.id, 'mute1h', old)}});
    expect(res.json()).toEqual({ephemeral_text: expect.stringContaining('expired')});
    expect(incidents.activeMutes(1_000_000)).toEqual([]);
  });

  it('counts ops channel members only while the channel is private: in a public one anyone in the team could join', async () => {
    ops.private = false;
    const {click, incidents} = await setup();
    expect((await click(MEMBER, 'ack')).json()).toEqual({ephemeral_text: expect.stringContaining('Only system admins may acknowledge incidents while the ops channel is public')});
    expect(incidents.openIncidents()[0]?.ack).toBeUndefined();
    expect((await click(ADMIN, 'ack')).json().update.message).toContain('Acknowledged by @boss');
  });
});

describe('the trigger guard shared by several bridges', () => {
  const guard = (shared: (id: string, until: number) => Promise<boolean>) =>
    new TriggerGuard({signingKey: async () => signingKey(PUBLIC_B64), replays: new ReplayGuard(), save: () => undefined, shared});

  it('refuses a request another bridge took already, and fails closed when the shared memory is out of reach', async () => {
    const now = 1_000_000;
    const taken = new Set<string>();
    const shared = async (id: string) => (taken.has(id) ? false : (taken.add(id), true));
    const id = triggerId(ADMIN, now);
    expect(await guard(shared).check('button', id, ADMIN, now)).toMatchObject({ok: true});
    // The same request sent to another bridge (its own local memory has never seen it).
    expect(await guard(shared).check('button', id, ADMIN, now)).toMatchObject({ok: false, why: 'replay'});
    expect(await guard(async () => Promise.reject(new Error('database down'))).check('button', triggerId(ADMIN, now), ADMIN, now)).toMatchObject({ok: false, why: 'unavailable'});
  });
});
