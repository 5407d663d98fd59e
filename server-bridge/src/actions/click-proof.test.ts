import {generateKeyPairSync, randomBytes, sign} from 'node:crypto';
import Fastify from 'fastify';
import {proveClick} from './click-proof';
import {ReplayGuard} from './replay-guard';
import {signingKey} from './trigger-id';
import {TriggerGuard} from './trigger-guard';

const {publicKey, privateKey} = generateKeyPairSync('ec', {namedCurve: 'prime256v1'});
const KEY = signingKey(publicKey.export({format: 'der', type: 'spki'}).toString('base64'));
const USER = 'u'.repeat(26);
const OPS = 'c'.repeat(26);
const NOW = 1_000_000;

/** A trigger_id as the server makes it: base64("id:user:millis:" + base64(ASN.1 ECDSA signature)). */
function triggerId(userId: string, at: number): string {
  const data = `${randomBytes(13).toString('hex')}:${userId}:${at}:`;
  return Buffer.from(data + sign('sha256', Buffer.from(data), {key: privateKey, dsaEncoding: 'der'}).toString('base64')).toString('base64');
}

async function route(o: {key?: () => Promise<typeof KEY | null>; opsChannelId?: () => Promise<string>} = {}) {
  const warnings: string[] = [];
  const deps = {
    guard: new TriggerGuard({signingKey: o.key ?? (async () => KEY), replays: new ReplayGuard(), save: () => undefined}),
    opsChannelId: o.opsChannelId ?? (async () => OPS),
    log: {warn: (msg: string) => warnings.push(msg)},
  };
  const app = Fastify();
  app.post('/click', async (req, reply) => {
    const proven = await proveClick(deps, reply, {triggerId: (req.body as {trigger_id?: string}).trigger_id, userId: USER, at: NOW});
    return proven.ok ? {ops: proven.ops} : proven.answer;
  });
  await app.ready();
  const click = (trigger_id?: string) => app.inject({method: 'POST', url: '/click', payload: {trigger_id}});
  return {click, warnings};
}

describe('proveClick', () => {
  it('takes a trigger_id the server signed for this user once, with the ops channel; 409 for it again, 403 without one', async () => {
    const {click} = await route();
    const trigger = triggerId(USER, NOW);
    const first = await click(trigger);
    expect(first.json()).toEqual({ops: OPS});
    const again = await click(trigger);
    expect([again.statusCode, again.json()]).toEqual([409, {error: 'already handled'}]);
    const none = await click();
    expect([none.statusCode, none.json()]).toEqual([403, {error: 'forbidden'}]);
    const other = await click(triggerId('o'.repeat(26), NOW));
    expect([other.statusCode, other.json()]).toEqual([403, {error: 'forbidden'}]);
  });

  it("answers in the chat, changing nothing, while the server's signing key is unavailable", async () => {
    const {click} = await route({key: async () => null});
    const res = await click(triggerId(USER, NOW));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ephemeral_text: expect.stringContaining("the server's signing key is unavailable")});
  });

  it('answers 503 with a log line when the ops channel cannot be resolved', async () => {
    const {click, warnings} = await route({opsChannelId: async () => Promise.reject(new Error('server down'))});
    const res = await click(triggerId(USER, NOW));
    expect([res.statusCode, res.json()]).toEqual([503, {error: 'cannot check the request now'}]);
    expect(warnings).toEqual(['actions: could not resolve the ops channel']);
  });
});
