import type {Notice} from '../contract';
import type {MattermostClient} from '../mm/client';
import {BotProfile} from './bot-profile';

const POST = 'pst0000000000000000000000a';
const NEXT = 'pst0000000000000000000000b';
const notice: Notice = {services: [{key: 'messages', down: false}], since: 1_764_496_920_000};

/** The bot's side of the API: who it is, and each custom status written (or refused). */
function fakeBot(refuse = false) {
  const puts: {path: string; text: string; expires_at?: string}[] = [];
  const bot = {
    get: async (path: string) => (path === '/users/me' ? {id: 'bot1'} : Promise.reject(new Error(`unexpected GET ${path}`))),
    put: async (path: string, body: {text: string; expires_at?: string}) => {
      puts.push({path, text: body.text, ...(body.expires_at ? {expires_at: body.expires_at} : {})});
      if (refuse) throw new Error('custom statuses are off');
    },
  };
  return {bot: bot as unknown as MattermostClient, puts};
}

const log = {warn: jest.fn()};

describe('the bot status', () => {
  afterEach(() => jest.useRealTimers());

  it('carries the notice, follows it between reports, and writes only when the text changes', async () => {
    jest.useFakeTimers();
    const {bot, puts} = fakeBot();
    let current: Notice | null = null;
    const profile = new BotProfile({bot, trigger: 'healthcheck', log, redact: (t) => t, notice: () => current, refreshMs: 1000});
    profile.publish(POST, 'ok');
    await profile.idle();
    expect(puts).toEqual([{path: '/users/bot1/status/custom', text: `OK · /healthcheck · report ${POST}`}]);
    await jest.advanceTimersByTimeAsync(3000);
    await profile.idle();
    expect(puts).toHaveLength(1);
    current = notice;
    await jest.advanceTimersByTimeAsync(1000);
    await profile.idle();
    expect(puts.at(-1)?.text).toMatch(new RegExp(`^OK · /healthcheck · notice m~ since [0-9a-z]+ · report ${POST}$`));
    profile.publish(NEXT, 'degraded');
    await profile.idle();
    expect(puts.at(-1)?.text).toMatch(new RegExp(`^DEGRADED · /healthcheck · notice m~ since [0-9a-z]+ · report ${NEXT}$`));
    current = null;
    await jest.advanceTimersByTimeAsync(1000);
    await profile.idle();
    expect(puts.at(-1)?.text).toBe(`DEGRADED · /healthcheck · report ${NEXT}`);
    expect(puts).toHaveLength(4);
    await profile.stop();
    current = notice;
    await jest.advanceTimersByTimeAsync(5000);
    expect(puts).toHaveLength(4);
  });

  it('tries a refused text again only after a minute; without a notice source writes the report pointer only', async () => {
    jest.useFakeTimers();
    const {bot, puts} = fakeBot(true);
    const profile = new BotProfile({bot, trigger: 'healthcheck', log, redact: (t) => t, notice: () => notice, refreshMs: 1000});
    profile.publish(POST, 'ok');
    await jest.advanceTimersByTimeAsync(30_000);
    await profile.idle();
    expect(puts).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(31_000);
    await profile.idle();
    expect(puts).toHaveLength(2);
    await profile.stop();

    const plain = fakeBot();
    const off = new BotProfile({bot: plain.bot, trigger: 'healthcheck', log, redact: (t) => t});
    off.publish(POST, 'ok');
    await off.idle();
    expect(plain.puts.map((p) => p.text)).toEqual([`OK · /healthcheck · report ${POST}`]);
  });

  it('makes the status expire, writes it again when half the time is gone, and takes the notice out when stopped', async () => {
    jest.useFakeTimers();
    let now = 1_000_000;
    const {bot, puts} = fakeBot();
    const profile = new BotProfile({bot, trigger: 'healthcheck', log, redact: (t) => t, notice: () => notice, refreshMs: 1000, ttlMs: 600_000, now: () => now});
    profile.publish(POST, 'degraded');
    await profile.idle();
    expect(puts).toHaveLength(1);
    expect(puts[0]?.expires_at).toBe(new Date(1_000_000 + 600_000).toISOString());
    now += 299_000;
    await jest.advanceTimersByTimeAsync(1000);
    await profile.idle();
    expect(puts).toHaveLength(1);
    now += 2000;
    await jest.advanceTimersByTimeAsync(1000);
    await profile.idle();
    expect(puts).toHaveLength(2);
    expect(puts[1]?.text).toBe(puts[0]?.text);
    expect(puts[1]?.expires_at).toBe(new Date(now + 600_000).toISOString());
    await profile.stop();
    expect(puts.at(-1)?.text).toBe(`DEGRADED · /healthcheck · report ${POST}`);
  });
});
