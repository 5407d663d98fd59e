// The secret in each button's context: an HMAC of the incident and the action under a key only the
// bridge and Mattermost's stored post know (clients never see `context`), compared in constant time.
import {createHmac, timingSafeEqual} from 'node:crypto';

export const INCIDENT_ACTIONS = ['ack', 'mute1h', 'mute4h', 'unmute'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

export const isIncidentAction = (value: unknown): value is IncidentAction => typeof value === 'string' && (INCIDENT_ACTIONS as readonly string[]).includes(value);

/** One token per incident and action: a token read from one post authorises nothing else. */
export function actionToken(key: Buffer, incidentId: string, action: IncidentAction): string {
  return createHmac('sha256', key).update(`healthcheck-action\n${incidentId}\n${action}`, 'utf8').digest('base64url');
}

/** True when `given` is the token of this incident and action (constant time, whatever `given` is). */
export function actionTokenMatches(key: Buffer, incidentId: string, action: IncidentAction, given: unknown): boolean {
  const expected = createHmac('sha256', key)
    .update(actionToken(key, incidentId, action))
    .digest();
  const actual = createHmac('sha256', key)
    .update(typeof given === 'string' ? given : '')
    .digest();
  return timingSafeEqual(expected, actual) && typeof given === 'string';
}
