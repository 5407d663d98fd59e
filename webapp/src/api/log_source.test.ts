import {fakeHttp, fakeStore, type FakeRequest} from '../testing/fakes';
import {BOT_ID, LOG_CHANNEL_ID, serverRoutes} from '../testing/fixtures';
import {resolveLogSource} from './log_source';
import {createResolver} from './resolver';

const otherLog = 'otherlog000000000000000000';

describe('resolveLogSource', () => {
  it('uses the current team when there is one, without listing teams', async () => {
    const log: FakeRequest[] = [];
    const source = await resolveLogSource(fakeStore(), createResolver(fakeHttp(serverRoutes(), log)));
    expect(source.channel).toMatchObject({id: LOG_CHANNEL_ID, teamName: 'healthcheck'});
    expect(log.some((r) => r.path.endsWith('/teams'))).toBe(false);
  });

  it("finds the log channel in the bot's teams when no team is current (System Console loaded by its URL)", async () => {
    const source = await resolveLogSource(fakeStore({noCurrentTeam: true}), createResolver(fakeHttp(serverRoutes({myTeams: []}))));
    expect(source.botUserId).toBe(BOT_ID);
    expect(source.channel).toMatchObject({id: LOG_CHANNEL_ID, teamName: 'healthcheck'});
  });

  it("falls back to the user's own teams when the bot's are not readable", async () => {
    const routes = serverRoutes();
    const http = fakeHttp((req) => (req.path === `/users/${BOT_ID}/teams` ? {status: 403, body: {message: 'forbidden'}} : routes(req)));
    const source = await resolveLogSource(fakeStore({noCurrentTeam: true}), createResolver(http));
    expect(source.channel).toMatchObject({id: LOG_CHANNEL_ID});
  });

  it('chooses the team whose log channel was posted in last when several have one', async () => {
    const routes = serverRoutes({botTeams: ['healthcheck', 'other']});
    const http = fakeHttp((req) => {
      if (req.path === '/teams/name/other/channels/name/healthcheck-log') return {body: {id: otherLog, team_id: 'id-other', name: 'healthcheck-log', last_post_at: 2000}};
      if (req.path === '/teams/name/healthcheck/channels/name/healthcheck-log') return {body: {id: LOG_CHANNEL_ID, team_id: 'team1', name: 'healthcheck-log', last_post_at: 1000}};
      return routes(req);
    });
    const source = await resolveLogSource(fakeStore({noCurrentTeam: true}), createResolver(http));
    expect(source.channel).toEqual({id: otherLog, teamName: 'other', lastPostAt: 2000});
  });

  it('reports no channel when none of those teams has it', async () => {
    const source = await resolveLogSource(fakeStore({noCurrentTeam: true}), createResolver(fakeHttp(serverRoutes({noChannel: true}))));
    expect(source.channel).toBeNull();
  });
});
