// Gathers what /healthcheck shows: the latest trusted report this user can read, and a live ping;
// and the trigger the bridge serves, from the trusted bot's profile.
import {parseBotStatus} from '@contract';
import {fetchLatestReport} from '../api/latest_report';
import {resolveLogSource, staleAfterMs} from '../api/log_source';
import {ping} from '../api/ping';
import type {Services} from '../host/services';
import {currentUserId, userLocale} from '../host/state';
import type {SlashArgs} from '../host/types';
import {STATUS_POST_TYPE} from '../post_types';
import {translator} from '../i18n/translate';
import {makeRoom, type StatusSnapshot} from './status_snapshots';

/** Null when the user cannot read any trusted report: the command then goes to the bridge. */
export async function loadStatus(services: Services, teamId: string): Promise<StatusSnapshot | null> {
  const source = await resolveLogSource(services.store, services.resolver, {teamId});
  if (!source.botUserId || !source.channel) return null;
  const [latest, live] = await Promise.all([
    fetchLatestReport(services.http, source.channel.id, source.botUserId, source.signingKey),
    ping(services.http, false).then(
      (p) => ({ping: p, pingError: null}),
      (err: unknown) => ({ping: null, pingError: err instanceof Error ? err.message : String(err)}),
    ),
  ]);
  if (!latest) return null;
  // Each answer holds a whole report: the oldest go before the hook keeps this one.
  makeRoom(services.statuses);
  const t = translator(userLocale(services.store.getState()));
  const plain = t('status.plain', {overall: t(`state.${latest.report.overall}`)});
  return {...live, latest, plain, teamName: source.channel.teamName, staleAfterMs: staleAfterMs(source.settings, latest.report.heartbeatIntervalMs)};
}

/** The bridge's slash trigger (HEALTHCHECK_SLASH_TRIGGER) as the trusted bot's status names it, or null when unknown. */
export async function triggerFor(services: Services, teamId: string): Promise<string | null> {
  const source = await resolveLogSource(services.store, services.resolver, {teamId});
  if (!source.botUserId) return null;
  const bot = (await services.http.get<{id: string; props?: Record<string, unknown>}>(`/users/${encodeURIComponent(source.botUserId)}`)).data;
  const {trigger} = parseBotStatus(bot);
  return trigger ? `/${trigger}` : null;
}

/** Shows the answer as an ephemeral post of our type that only this browser has (its card reads the snapshot). */
export function showAnswer(services: Services, args: SlashArgs, snapshot: StatusSnapshot, id: string): void {
  services.statuses.set(id, snapshot);
  const state = services.store.getState();
  const now = Date.now();
  // No public API for a client-only reply: the host shows a post received this way (see index.tsx).
  services.store.dispatch({
    type: 'RECEIVED_NEW_POST',
    data: {
      id,
      user_id: currentUserId(state) ?? '',
      channel_id: args.channel_id,
      root_id: args.root_id ?? '',
      message: snapshot.plain ?? '',
      type: STATUS_POST_TYPE,
      create_at: now,
      update_at: now,
      props: {},
    },
    // The host's reducers read features.crtEnabled on new posts; a reply then still shows in place.
    features: {crtEnabled: false},
  });
}
