// Mattermost signs the trigger_id it sends with each action click (ECDSA P-256 over SHA-256 of
// "clientTriggerId:userId:millis:"), with the key whose public half is AsymmetricSigningPublicKey
// in the client config. A valid one proves the request came from the server, for this user, now.
import {createPublicKey, verify, type KeyObject} from 'node:crypto';

export interface TriggerId {
  /** Unique per click: what replays are recognised by. */
  clientTriggerId: string;
  userId: string;
  at: number;
}

export type TriggerCheck = {ok: true; trigger: TriggerId} | {ok: false; reason: string};

/** The server's public key from its base64 DER (SubjectPublicKeyInfo) form. */
export function signingKey(base64Der: string): KeyObject {
  return createPublicKey({key: Buffer.from(base64Der, 'base64'), format: 'der', type: 'spki'});
}

export function verifyTriggerId(triggerId: unknown, key: KeyObject, userId: string, now: number, maxAgeMs: number): TriggerCheck {
  if (typeof triggerId !== 'string' || triggerId.length === 0 || triggerId.length > 1024) return {ok: false, reason: 'no trigger_id'};
  const parts = Buffer.from(triggerId, 'base64').toString('utf8').split(':');
  if (parts.length !== 4) return {ok: false, reason: 'malformed trigger_id'};
  const [clientTriggerId, signedUser, millis, signature] = parts as [string, string, string, string];
  if (!/^\d{1,15}$/.test(millis) || !clientTriggerId) return {ok: false, reason: 'malformed trigger_id'};
  const data = Buffer.from(`${clientTriggerId}:${signedUser}:${millis}:`, 'utf8');
  let valid = false;
  try {
    valid = verify('sha256', data, {key, dsaEncoding: 'der'}, Buffer.from(signature, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) return {ok: false, reason: 'trigger_id signature does not verify'};
  if (signedUser !== userId) return {ok: false, reason: 'trigger_id was issued for another user'};
  const at = Number(millis);
  if (Math.abs(now - at) > maxAgeMs) return {ok: false, reason: 'trigger_id is too old'};
  return {ok: true, trigger: {clientTriggerId, userId: signedUser, at}};
}
