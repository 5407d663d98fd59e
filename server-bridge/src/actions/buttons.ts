// The buttons of an incident's root post as interactive message attachments: Mattermost shows them
// on web, desktop and mobile and calls integration.url with the context (which it never shows to
// clients). Which buttons: what can still be done to the incident in its current state.
import type {Incident} from '../incidents/alert-posts';
import {actionToken, buttonExpiry, type IncidentAction} from './action-token';

export const ACTIONS_PATH = '/actions/incident';

export interface ButtonOptions {
  /** Where Mattermost reaches the bridge (HEALTHCHECK_PUBLIC_URL). */
  publicUrl: string;
  key: Buffer;
}

const LABELS: Record<IncidentAction, string> = {ack: 'Acknowledge', mute1h: 'Mute 1 h', mute4h: 'Mute 4 h', unmute: 'Unmute'};
const STYLES: Record<IncidentAction, string> = {ack: 'primary', mute1h: 'default', mute4h: 'default', unmute: 'default'};

export const MUTE_DURATIONS: Partial<Record<IncidentAction, number>> = {mute1h: 3_600_000, mute4h: 4 * 3_600_000};

/** The actions offered for an incident now: none once resolved. */
export function actionsFor(incident: Incident, mutedUntil: number | null): IncidentAction[] {
  if (incident.resolvedAt !== null) return [];
  return [...(incident.ack ? [] : (['ack'] as const)), ...(mutedUntil !== null ? (['unmute'] as const) : (['mute1h', 'mute4h'] as const))];
}

/** Props to merge into the root post: `attachments` with the buttons, or nothing when none apply. */
export function incidentButtons(o: ButtonOptions, incident: Incident, mutedUntil: number | null, now: number): Record<string, unknown> {
  const actions = actionsFor(incident, mutedUntil);
  if (actions.length === 0) return {};
  const expires = buttonExpiry(now);
  const url = `${o.publicUrl.replace(/\/+$/, '')}${ACTIONS_PATH}`;
  return {
    attachments: [
      {
        fallback: `Incident on ${incident.target}: ${actions.map((a) => LABELS[a]).join(', ')}`,
        color: incident.ack ? '#ffbc1f' : '#d24b4e',
        actions: actions.map((action) => ({
          id: action,
          type: 'button',
          name: LABELS[action],
          style: STYLES[action],
          integration: {url, context: {incident: incident.id, action, expires, token: actionToken(o.key, incident.id, action, expires)}},
        })),
      },
    ],
  };
}
