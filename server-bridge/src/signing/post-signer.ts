// The bridge's post signing key (ECDSA P-256): made by setup, whose public half goes into the
// admin's trust declaration, and used to sign every report and alert post where its content is
// built (contract/signature.ts says what is signed and how the browser checks it).
import {createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject} from 'node:crypto';
import {SIGNATURE_PROP, signaturePartsOf} from '../contract/signature';

export interface SignablePost {
  type?: string;
  props?: Record<string, unknown>;
}

/** Adds the signature to a post of a signed type; any other post comes back as it was. */
export type PostSigner = <T extends SignablePost>(post: T) => T;

/** The key from its one-line form (base64 PKCS#8 DER, as setup writes it) or PEM; refused unless it is an EC P-256 private key. */
export function signingKeyFrom(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN') ? createPrivateKey({key: trimmed, format: 'pem'}) : createPrivateKey({key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8'});
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') throw new Error('expected an EC P-256 private key');
  return key;
}

/** The public half as base64 DER (SubjectPublicKeyInfo), what the trust declaration carries and WebCrypto imports as 'spki'. */
export function publicKeyOf(key: KeyObject): string {
  return createPublicKey(key).export({format: 'der', type: 'spki'}).toString('base64');
}

/** A new key: its one-line secret (base64 PKCS#8 DER) and its public half. */
export function generateSigningKey(): {secret: string; publicKey: string} {
  const {privateKey} = generateKeyPairSync('ec', {namedCurve: 'prime256v1'});
  return {secret: privateKey.export({format: 'der', type: 'pkcs8'}).toString('base64'), publicKey: publicKeyOf(privateKey)};
}

export function postSigner(key: KeyObject): PostSigner {
  return (post) => {
    const parts = signaturePartsOf(post);
    if (!parts) return post;
    const signature = sign('sha256', Buffer.from(parts.text, 'utf8'), {key, dsaEncoding: 'ieee-p1363'}).toString('base64');
    return {...post, props: {...post.props, [SIGNATURE_PROP]: signature}};
  };
}

/** Node's check of a post's signature (the browser's is webapp/src/api/signature.ts): for tests and tools. */
export function verifyPost(post: SignablePost, publicKeyBase64: string): boolean {
  const parts = signaturePartsOf(post);
  if (!parts?.signature) return false;
  const key = createPublicKey({key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki'});
  return verify('sha256', Buffer.from(parts.text, 'utf8'), {key, dsaEncoding: 'ieee-p1363'}, Buffer.from(parts.signature, 'base64'));
}
