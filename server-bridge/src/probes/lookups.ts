// Name → id lookups the probes share (team, probe channel), cached per target.
import type {MmChannel, MmTeam, MmUser} from '../mm/types';
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
