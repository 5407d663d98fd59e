// Name → id lookups the probes share (team, probe channel), cached per target.
import type {MmChannel, MmTeam, MmUser} from '../mm/types';
import {MattermostApiError} from '../mm/errors';
import {cached} from './cached';
import type {ProbeContext} from './types';

export function teamId(ctx: ProbeContext, token: string): Promise<string> {
  const name = ctx.target.team ?? '';
  return cached(ctx, `team:${name}`, async () => {
    const team = await ctx.client.get<MmTeam>(`/teams/name/${encodeURIComponent(name)}`, {token, signal: ctx.signal});
    return team.id;
  });
}

/** The probe channel's id: probeChannel is a channel name in the target's team. */
export function probeChannelId(ctx: ProbeContext, token: string): Promise<string> {
  const name = ctx.target.probeChannel ?? '';
  return cached(ctx, `channel:${ctx.target.team ?? ''}:${name}`, async () => {
    const team = await teamId(ctx, token);
    const channel = await ctx.client.get<MmChannel>(`/teams/${team}/channels/name/${encodeURIComponent(name)}`, {token, signal: ctx.signal});
    return channel.id;
  });
}

/** The bot's user id, from the bot token. */
export function botUserId(ctx: ProbeContext): Promise<string> {
  return cached(ctx, 'bot-user-id', async () => (await ctx.client.get<MmUser>('/users/me', {token: ctx.target.botToken, signal: ctx.signal})).id);
}

const LOOKUP_KEY = /^(team:|channel:|bot-user-id$)/;

/**
 * Forgets the cached ids when Mattermost answers 403/404: the team or channel may have been
 * renamed, deleted or re-created, so the next run looks them up again.
 */
export function forgetLookupsOn(ctx: ProbeContext, err: unknown): void {
  if (!(err instanceof MattermostApiError) || (err.status !== 403 && err.status !== 404)) return;
  for (const key of [...ctx.cache.keys()]) if (LOOKUP_KEY.test(key)) ctx.cache.delete(key);
}
