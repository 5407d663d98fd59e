// The buttons of an SLO burn-rate alert's root post, as for incidents (buttons.ts): Acknowledge
// while nobody has, Mute 1 h / 4 h (the objective's probes) while they are not all muted, none once
// resolved. Each token is bound to the alert, its objective and the action (action-token.ts).
import type {SloAlertData} from '../contract';
import {actionToken, buttonExpiry, type IncidentAction} from './action-token';

export const SLO_ACTIONS_PATH = '/actions/slo';
export const SLO_ACTIONS = ['ack', 'mute1h', 'mute4h'] as const;
export type SloAction = (typeof SLO_ACTIONS)[number] & IncidentAction;

export const isSloAction = (value: unknown): value is SloAction => typeof value === 'string' && (SLO_ACTIONS as readonly string[]).includes(value);

const LABELS: Record<SloAction, string> = {ack: 'Acknowledge', mute1h: 'Mute 1 h', mute4h: 'Mute 4 h'};

/** What the token signs for an SLO alert: the alert and the objective it belongs to (whose probes a mute silences). */
export const sloSubject = (alertId: string, slo: string) => `${alertId}\n${slo}`;

export function sloTokenFor(key: Buffer, alertId: string, slo: string, action: SloAction, expires: number): string {
  return actionToken(key, sloSubject(alertId, slo), action, expires, 'slo');
}

/** The actions offered for an SLO alert now; `muted`: every probe of the objective is muted. */
export function sloActionsFor(alert: Pick<SloAlertData, 'state' | 'ack'>, muted: boolean): SloAction[] {
  if (alert.state !== 'open') return [];
  return [...(alert.ack ? [] : (['ack'] as const)), ...(muted ? [] : (['mute1h', 'mute4h'] as const))];
}

/** Props to merge into the root post: `attachments` with the buttons, or nothing when none apply. */
export function sloButtons(o: {publicUrl: string; key: Buffer}, alert: SloAlertData, muted: boolean, now: number): Record<string, unknown> {
  const actions = sloActionsFor(alert, muted);
  if (actions.length === 0) return {};
  const expires = buttonExpiry(now);
  const url = `${o.publicUrl.replace(/\/+$/, '')}${SLO_ACTIONS_PATH}`;
  return {
    attachments: [
      {
        fallback: `Error budget alert of ${alert.slo}: ${actions.map((a) => LABELS[a]).join(', ')}`,
        color: alert.ack ? '#ffbc1f' : alert.severity === 'page' ? '#d24b4e' : '#ffbc1f',
        actions: actions.map((action) => ({
          id: action,
          type: 'button',
          name: LABELS[action],
          style: action === 'ack' ? 'primary' : 'default',
          integration: {url, context: {alert: alert.alertId, slo: alert.slo, action, expires, token: sloTokenFor(o.key, alert.alertId, alert.slo, action, expires)}},
        })),
      },
    ],
  };
}
