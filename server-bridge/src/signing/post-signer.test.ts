import {generateKeyPairSync} from 'node:crypto';
import {ALERT_POST_TYPE, ALERT_PROP, REPORT_POST_TYPE, REPORT_PROP, SIGNATURE_PROP, canonicalJson} from '../contract';
import {generateSigningKey, postSigner, publicKeyOf, signingKeyFrom, verifyPost} from './post-signer';

const {secret, publicKey} = generateSigningKey();
const sign = postSigner(signingKeyFrom(secret));
const report = {schema: 'healthcheck.report/v1', overall: 'ok', generatedAt: 1764115200000, probes: [{probe: 'ping', uptime: 0.995, checks: [{label: 'a', ok: true}]}]};

/** The props as the server hands them back: Go writes map keys sorted, so every object is re-ordered. */
function reordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reordered);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .reverse()
      .map(([k, v]) => [k, reordered(v)]),
  );
}

describe('post signatures', () => {
  it('sign what a report or alert card shows, verified whatever order the keys come back in', () => {
    const post = sign({type: REPORT_POST_TYPE, message: 'Health check: OK', props: {[REPORT_PROP]: report, healthcheck_delivery_id: 'd1'}});
    expect((post.props as Record<string, unknown>)[SIGNATURE_PROP]).toMatch(/^[A-Za-z0-9+/]{86}==$/);
    expect(verifyPost(post, publicKey)).toBe(true);
    expect(verifyPost(JSON.parse(JSON.stringify(reordered(post))), publicKey)).toBe(true);
    const alert = sign({type: ALERT_POST_TYPE, props: {[ALERT_PROP]: {event: 'open', target: 'chat'}}});
    expect(verifyPost(alert, publicKey)).toBe(true);
  });

  it('do not verify patched data, data moved to another type, another key, or no signature', () => {
    const post = sign({type: REPORT_POST_TYPE, props: {[REPORT_PROP]: report}});
    expect(verifyPost({...post, props: {...post.props, [REPORT_PROP]: {...report, overall: 'failing'}}}, publicKey)).toBe(false);
    expect(verifyPost({...post, type: ALERT_POST_TYPE, props: {...post.props, [ALERT_PROP]: report}}, publicKey)).toBe(false);
    expect(verifyPost(post, generateSigningKey().publicKey)).toBe(false);
    expect(verifyPost({...post, props: {[REPORT_PROP]: report}}, publicKey)).toBe(false);
  });

  it('leave other posts as they are', () => {
    const other = {type: 'custom_healthcheck_trust', props: {x: 1}};
    expect(sign(other)).toBe(other);
  });

  it('take the key setup writes (one line) or PEM, and nothing but EC P-256', () => {
    const key = signingKeyFrom(secret);
    expect(publicKeyOf(signingKeyFrom(key.export({format: 'pem', type: 'pkcs8'}).toString()))).toBe(publicKey);
    const rsa = generateKeyPairSync('rsa', {modulusLength: 1024}).privateKey.export({format: 'pem', type: 'pkcs8'}).toString();
    expect(() => signingKeyFrom(rsa)).toThrow('EC P-256');
    const p384 = generateKeyPairSync('ec', {namedCurve: 'secp384r1'}).privateKey.export({format: 'pem', type: 'pkcs8'}).toString();
    expect(() => signingKeyFrom(p384)).toThrow('EC P-256');
    expect(() => signingKeyFrom('not a key')).toThrow();
  });

  it('canonical JSON sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({b: 1, a: {d: [1, {f: 2, e: undefined}], c: 'x'}})).toBe('{"a":{"c":"x","d":[1,{"f":2}]},"b":1}');
  });
});
