// `search_channels`: POST /teams/{id}/channels/search with the configured term returns at least N channels.
import {teamId} from './lookups';
import {missingSettings, ProbeRun} from './outcome';
import {checkSearch} from './search';
import type {ProbeContext, ProbeDefinition, ProbeResult} from './types';

/** The bridge's own channels are named healthcheck-…, so this default finds them. */
export const DEFAULT_SEARCH_CHANNELS_TERM = 'healthcheck';

export async function runSearchChannels(ctx: ProbeContext): Promise<ProbeResult> {
  const run = new ProbeRun('search_channels', ctx);
  const missing = missingSettings(ctx.target, searchChannels.needs);
  if (missing.length > 0) return run.notConfigured(missing);
  const token = ctx.target.botToken as string;
  const term = ctx.target.searchChannelsTerm ?? DEFAULT_SEARCH_CHANNELS_TERM;
  const min = ctx.target.searchChannelsMin ?? 1;
  await checkSearch(run, ctx, term, min, async () => {
    const team = await teamId(ctx, token);
    return ctx.client.post(`/teams/${team}/channels/search`, {term}, {token, signal: ctx.signal});
  });
  return run.finish();
}

export const searchChannels: ProbeDefinition = {
  name: 'search_channels',
  description: 'a channel search in the team returns at least N results',
  needs: ['botToken', 'team'],
  defaultIntervalMs: 60_000,
  defaultTimeoutMs: 10_000,
  heavy: true,
  run: runSearchChannels,
};
