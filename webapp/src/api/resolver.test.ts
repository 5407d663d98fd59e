import {fakeHttp, type FakeRequest} from '../testing/fakes';
import {BOT_PROPS, trustPostBody} from '@contract';
import {ADMIN_ID, BOT_ID, LOG_CHANNEL_ID, OTHER_ID, reportPost, serverRoutes, trustPost, TRUST_POST_ID} from '../testing/fixtures';
import {createResolver} from './resolver';

describe('resolver', () => {
  it('resolves the bot once per session and the channel by team and name', async () => {
    const log: FakeRequest[] = [];
    const resolver = createResolver(fakeHttp(serverRoutes(), log));
    expect(await resolver.botUserId('healthcheck-bot')).toBe(BOT_ID);
    expect(await resolver.botUserId('healthcheck-bot')).toBe(BOT_ID);
    expect(await resolver.channel('healthcheck', 'healthcheck-log')).toEqual({id: LOG_CHANNEL_ID, teamName: 'healthcheck', lastPostAt: 0});
    // The bot, then its declaration's author; each once for the session.
    expect(log.filter((r) => r.path.startsWith('/users/')).map((r) => r.path)).toEqual(['/users/username/healthcheck-bot', `/users/${BOT_ID}`, `/users/${ADMIN_ID}`]);
    expect(log.filter((r) => r.path === `/channels/${LOG_CHANNEL_ID}`)).toHaveLength(1);
  });

  it('trusts the bot only through a declaration by a system admin that the bot points at', async () => {
    expect(await createResolver(fakeHttp(serverRoutes())).isTrustedBot(BOT_ID)).toBe(true);
    expect(await createResolver(fakeHttp(serverRoutes({undeclared: true}))).botUserId('healthcheck-bot')).toBeNull();
    expect(await createResolver(fakeHttp(serverRoutes({declaredByUser: true}))).botUserId('healthcheck-bot')).toBeNull();
    expect(await createResolver(fakeHttp(serverRoutes())).isTrustedBot(OTHER_ID)).toBe(false);
  });

  it('refuses a declaration outside the log channel, or that came through a webhook or a command answer in an admin name', async () => {
    expect(await createResolver(fakeHttp(serverRoutes({declaredElsewhere: true}))).isTrustedBot(BOT_ID)).toBe(false);
    expect(await createResolver(fakeHttp(serverRoutes({declaredElsewhere: true})), () => 'town-square').isTrustedBot(BOT_ID)).toBe(true);
    expect(await createResolver(fakeHttp(serverRoutes()), () => 'ops-log').isTrustedBot(BOT_ID)).toBe(false);
    // A log channel of another name than this user knows: the one holding the report the bot's status names.
    const report = reportPost({}, {id: 'reportpost0000000000000000'});
    expect(await createResolver(fakeHttp(serverRoutes({posts: [report], reportPointer: report.id})), () => 'ops-log').isTrustedBot(BOT_ID)).toBe(true);
    expect(await createResolver(fakeHttp(serverRoutes({posts: [report], reportPointer: report.id, declaredElsewhere: true})), () => 'ops-log').isTrustedBot(BOT_ID)).toBe(false);
    for (const props of [{from_webhook: 'true'}, {override_username: 'healthcheck'}, {override_icon_url: ''}]) {
      expect(await createResolver(fakeHttp(serverRoutes({declarationProps: props}))).isTrustedBot(BOT_ID)).toBe(false);
    }
  });

  it('finds the declared bot from the pins of the log channel, whatever its name', async () => {
    expect(await createResolver(fakeHttp(serverRoutes())).declaredBot(LOG_CHANNEL_ID)).toBe(BOT_ID);
    expect(await createResolver(fakeHttp(serverRoutes({unpinned: true}))).declaredBot(LOG_CHANNEL_ID)).toBeNull();
    expect(await createResolver(fakeHttp(serverRoutes({declaredByUser: true}))).declaredBot(LOG_CHANNEL_ID)).toBeNull();
  });

  it('refuses a human account that carries the bot name, and a missing bot or channel', async () => {
    expect(await createResolver(fakeHttp(serverRoutes({botIsBot: false}))).botUserId('healthcheck-bot')).toBeNull();
    expect(await createResolver(fakeHttp(serverRoutes({noBot: true}))).botUserId('healthcheck-bot')).toBeNull();
    expect(await createResolver(fakeHttp(serverRoutes({noChannel: true}))).channel('healthcheck', 'healthcheck-log')).toBeNull();
  });

  it('does not cache a failure: the next call asks again', async () => {
    let fail = true;
    const routes = serverRoutes();
    const resolver = createResolver(fakeHttp((req) => (fail ? {status: 502, body: {message: 'bad gateway'}} : routes(req))));
    await expect(resolver.botUserId('healthcheck-bot')).rejects.toThrow('502');
    fail = false;
    expect(await resolver.botUserId('healthcheck-bot')).toBe(BOT_ID);
  });

  it('lets pins decide only when they agree: two trusted bots pinned decide nothing (no newest wins)', async () => {
    const SECOND = 'secondbot00000000000000000';
    const SECOND_POST = 'trustpost0000000000000000b';
    const routes = serverRoutes();
    const second = {...trustPost({id: SECOND_POST, create_at: 1764115300000}), ...trustPostBody({userId: SECOND, username: 'second-bot'})};
    const http = fakeHttp((req) => {
      if (req.path === `/channels/${LOG_CHANNEL_ID}/pinned`) return {body: {order: [SECOND_POST, TRUST_POST_ID], posts: {[TRUST_POST_ID]: trustPost(), [SECOND_POST]: second}}};
      if (req.path === `/users/${SECOND}`) return {body: {id: SECOND, is_bot: true, delete_at: 0, roles: 'system_user', props: {[BOT_PROPS.trust]: SECOND_POST}}};
      if (req.path === `/posts/${SECOND_POST}`) return {body: second};
      return routes(req);
    });
    const resolver = createResolver(http);
    expect(await resolver.isTrustedBot(SECOND)).toBe(true);
    expect(await resolver.declaredBot(LOG_CHANNEL_ID)).toBeNull();
  });
});
