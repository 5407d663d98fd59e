import {fakeHttp, type FakeRequest} from '../testing/fakes';
import {ADMIN_ID, BOT_ID, LOG_CHANNEL_ID, OTHER_ID, serverRoutes} from '../testing/fixtures';
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
  });

  it('trusts the bot only through a declaration by a system admin that the bot points at', async () => {
    expect(await createResolver(fakeHttp(serverRoutes())).isTrustedBot(BOT_ID)).toBe(true);
    expect(await createResolver(fakeHttp(serverRoutes({undeclared: true}))).botUserId('healthcheck-bot')).toBeNull();
    expect(await createResolver(fakeHttp(serverRoutes({declaredByUser: true}))).botUserId('healthcheck-bot')).toBeNull();
    expect(await createResolver(fakeHttp(serverRoutes())).isTrustedBot(OTHER_ID)).toBe(false);
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
});
