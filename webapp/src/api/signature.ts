// The browser's check of a bot post's signature (contract/signature.ts) with WebCrypto: ECDSA
// P-256, SHA-256, r‖s. Without WebCrypto (a page served over plain HTTP from another host than
// localhost is not a secure context) nothing verifies, so a signed bot's posts stay plain.
import {signaturePartsOf} from '@contract';

const keys = new Map<string, Promise<CryptoKey>>();

function bytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const out = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function importKey(subtle: SubtleCrypto, spki: string): Promise<CryptoKey> {
  let key = keys.get(spki);
  if (!key) {
    key = subtle.importKey('spki', bytes(spki), {name: 'ECDSA', namedCurve: 'P-256'}, false, ['verify']);
    key.catch(() => keys.delete(spki));
    keys.set(spki, key);
  }
  return key;
}

/** True when the post carries a signature of what its card shows, made with the key whose public half (base64 SPKI) is given. */
export async function verifyPostSignature(post: {type?: string; props?: Record<string, unknown> | null}, publicKey: string): Promise<boolean> {
  const parts = signaturePartsOf(post);
  const subtle = globalThis.crypto?.subtle;
  if (!parts?.signature || !subtle) return false;
  try {
    const signature = bytes(parts.signature);
    if (signature.length !== 64) return false;
    return await subtle.verify({name: 'ECDSA', hash: 'SHA-256'}, await importKey(subtle, publicKey), signature, new TextEncoder().encode(parts.text));
  } catch {
    return false;
  }
}
