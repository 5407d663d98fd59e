// A post signing key as the bridge's (contract/signature.ts) for tests of what the webapp verifies: its
// public key as a trust declaration names it, posts signed with it, and Node's WebCrypto for jsdom,
// which has none (the page's is Chromium's in tests/browser).
import {SIGNATURE_PROP, SIGNED_PROPS, signedText} from '@contract';
import type {HostPost} from '../host/types';

export interface TestSigner {
  /** The public key, base64 DER (SPKI), as the trust declaration carries it. */
  spki: string;
  /** The post with the signature of its signed prop, as the bridge posts it. */
  sign(post: HostPost): HostPost;
}

const crypto = () => jest.requireActual<typeof import('node:crypto')>('node:crypto');

export function testSigner(): TestSigner {
  const {generateKeyPairSync, sign} = crypto();
  const {publicKey, privateKey} = generateKeyPairSync('ec', {namedCurve: 'prime256v1'});
  return {
    spki: publicKey.export({format: 'der', type: 'spki'}).toString('base64'),
    sign: (post) => {
      const text = signedText(post.type as string, post.props?.[SIGNED_PROPS[post.type as string] as string]);
      return {...post, props: {...post.props, [SIGNATURE_PROP]: sign('sha256', Buffer.from(text), {key: privateKey, dsaEncoding: 'ieee-p1363'}).toString('base64')}};
    },
  };
}

/** Gives jsdom Node's WebCrypto and TextEncoder, which verifying a signature needs. */
export function useNodeWebCrypto(): void {
  const {TextEncoder: Encoder} = jest.requireActual<typeof import('node:util')>('node:util');
  Object.defineProperty(globalThis.crypto, 'subtle', {value: crypto().webcrypto.subtle, configurable: true});
  Object.assign(globalThis, {TextEncoder: Encoder});
}
