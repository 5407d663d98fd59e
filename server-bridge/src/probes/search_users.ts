// `search_users`: POST /users/search with the configured term returns at least N users.
import {missingSettings, ProbeRun} from './outcome';
import {checkSearch} from './search';
import type {ProbeContext, ProbeDefinition, ProbeResult} from './types';

/** The bridge's own users (bot, probe user) are named healthcheck-…, so this default finds them. */
export const DEFAULT_SEARCH_USERS_TERM = 'healthcheck';

export async function runSearchUsers(ctx: ProbeContext): Promise<ProbeResult> {
  const run = new ProbeRun('search_users', ctx);
  const missing = missingSettings(ctx.target, searchUsers.needs);
  if (missing.length > 0) return run.notConfigured(missing);
  const term = ctx.target.searchUsersTerm ?? DEFAULT_SEARCH_USERS_TERM;
  const min = ctx.target.searchUsersMin ?? 1;
  await checkSearch(run, ctx, term, min, () => ctx.client.post('/users/search', {term}, {token: ctx.target.botToken, signal: ctx.signal}));
  return run.finish();
}

export const searchUsers: ProbeDefinition = {
  name: 'search_users',
  description: 'a user search returns at least N results',
  needs: ['botToken'],
  defaultIntervalMs: 60_000,
  defaultTimeoutMs: 10_000,
  heavy: true,
  run: runSearchUsers,
};
