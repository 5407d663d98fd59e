import {fakeHttp, type FakeRequest} from '../testing/fakes';
import {BOT_ID, LOG_CHANNEL_ID, serverRoutes} from '../testing/fixtures';
import {createResolver} from './resolver';

describe('resolver', () => {
  it('resolves the bot once per session and the channel by team and name', async () => {
    const log: FakeRequest[] = [];
    const resolver = createResolver(fakeHttp(serverRoutes(), log));
    expect(await resolver.botUserId('healthcheck-bot')).toBe(BOT_ID);
    expect(await resolver.botUserId('healthcheck-bot')).toBe(BOT_ID);
    expect(await resolver.channel('healthcheck', 'healthcheck-log')).toEqual({id: LOG_CHANNEL_ID, teamName: 'healthcheck', lastPostAt: 0});
    expect(log.filter((r) => r.path.startsWith('/users/'))).toHaveLength(1);
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
