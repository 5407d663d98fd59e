// The secret in each button's context: an HMAC of what it acts on (an incident, or an SLO alert:
// each kind under a prefix of its own, so one kind's token is never the other's), the action and
// the end of the token's window under a key only the bridge and Mattermost's stored post know
// (clients never see `context`), compared in constant time. Incident ids are easy to guess (target
// and time); the token is not, and a token read from one post authorises nothing else, nor after its window.
import {createHmac, timingSafeEqual} from 'node:crypto';

export const INCIDENT_ACTIONS = ['ack', 'mute1h', 'mute4h', 'unmute'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

/** A button works for this long after its root was last written (each write of the root renews it). */
export const BUTTON_WINDOW_MS = 7 * 24 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/** What a button acts on: its token is made under this kind's prefix. */
export type ActionSubject = 'incident' | 'slo';
const PREFIX: Record<ActionSubject, string> = {incident: 'healthcheck-action', slo: 'healthcheck-slo-action'};

export const isIncidentAction = (value: unknown): value is IncidentAction => typeof value === 'string' && (INCIDENT_ACTIONS as readonly string[]).includes(value);

/** The end of the window of a button written at `now`: whole days, so a root rewritten within a day keeps the same buttons. */
export function buttonExpiry(now: number): number {
  return Math.ceil(now / DAY_MS) * DAY_MS + BUTTON_WINDOW_MS;
}

/** One token per incident (or SLO alert), action and window end. */
export function actionToken(key: Buffer, incidentId: string, action: IncidentAction, expires: number, subject: ActionSubject = 'incident'): string {
  return createHmac('sha256', key).update(`${PREFIX[subject]}\n${incidentId}\n${action}\n${expires}`, 'utf8').digest('base64url');
}

export type TokenCheck = 'ok' | 'forged' | 'expired';

/** Whether `given` is the token of this incident (or SLO alert), action and window end (constant time), and the window is still open. */
export function checkActionToken(key: Buffer, incidentId: string, action: IncidentAction, expires: unknown, given: unknown, now: number, subject: ActionSubject = 'incident'): TokenCheck {
  const window = typeof expires === 'number' && Number.isSafeInteger(expires) ? expires : -1;
  // A button of a root written before tokens had a window (no `expires`): genuine, but never valid again.
  const made = window >= 0 ? actionToken(key, incidentId, action, window, subject) : createHmac('sha256', key).update(`${PREFIX[subject]}\n${incidentId}\n${action}`, 'utf8').digest('base64url');
  const expected = createHmac('sha256', key).update(made).digest();
  const actual = createHmac('sha256', key)
    .update(typeof given === 'string' ? given : '')
    .digest();
  if (!(timingSafeEqual(expected, actual) && typeof given === 'string')) return 'forged';
  return window >= 0 && now <= window ? 'ok' : 'expired';
}
