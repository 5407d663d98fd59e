import {noticeSegment, parseNotice, servicesOf, type Notice} from './notice';
import {BOT_PROPS, botStatus, parseBotStatus} from './trust';

const POST = 'pst0000000000000000000000a';
const SINCE = Date.UTC(2026, 10, 30, 10, 2, 0);
const asUser = (status: {emoji: string; text: string}) => ({id: 'bot', props: {[BOT_PROPS.customStatus]: JSON.stringify(status)}});
const every: Notice = {services: ['signIn', 'messages', 'search', 'channels', 'server', 'mobile'].map((key) => ({key, down: true})) as Notice['services'], since: SINCE};

describe('the notice in the bot status', () => {
  it('says which services are slow or down and since when, between the trigger and the report', () => {
    const notice: Notice = {
      services: [
        {key: 'search', down: true},
        {key: 'messages', down: false},
      ],
      since: SINCE + 123,
    };
    const status = botStatus('degraded', 'healthcheck', POST, notice);
    expect(status.text).toBe(`DEGRADED · /healthcheck · notice m~s! since ${Math.floor(SINCE / 1000 + 0.123).toString(36)} · report ${POST}`);
    // Services come back in the fixed order, the time in whole seconds.
    expect(parseBotStatus(asUser(status))).toEqual({
      reportId: POST,
      trigger: 'healthcheck',
      notice: {
        services: [
          {key: 'messages', down: false},
          {key: 'search', down: true},
        ],
        since: SINCE,
      },
    });
  });

  it('still lets a reader of the format before the notice find the report and the trigger', () => {
    const {text} = botStatus('failing', 'healthcheck', POST, every);
    // The expressions the earlier parser used, verbatim.
    expect(/· report ([a-z0-9]{26})$/.exec(text)?.[1]).toBe(POST);
    expect(/· \/([a-z0-9_-]{1,128}) ·/.exec(text)?.[1]).toBe('healthcheck');
  });

  it('fits in 100 characters with every service, the longest state and the default trigger (a longer one is left out)', () => {
    expect(noticeSegment(every).length).toBeLessThanOrEqual(32);
    const fits = botStatus('degraded', 'healthcheck', POST, every);
    expect(fits.text.length).toBeLessThanOrEqual(100);
    expect(parseBotStatus(asUser(fits)).trigger).toBe('healthcheck');
    const long = botStatus('degraded', 'x'.repeat(128), POST, every);
    expect(long.text.length).toBeLessThanOrEqual(100);
    expect(parseBotStatus(asUser(long))).toEqual({reportId: POST, trigger: null, notice: every});
  });

  it('writes nothing for no notice or one without services', () => {
    expect(botStatus('ok', 'healthcheck', POST, null).text).toBe(`OK · /healthcheck · report ${POST}`);
    expect(botStatus('ok', 'healthcheck', POST, {services: [], since: SINCE}).text).toBe(`OK · /healthcheck · report ${POST}`);
  });

  it.each([
    ['no notice', `OK · /healthcheck · report ${POST}`],
    ['an unknown service code only', `DEGRADED · /healthcheck · notice z! since t6x3qo · report ${POST}`],
    ['a bad mark', `DEGRADED · notice m? since t6x3qo · report ${POST}`],
    ['no time', `DEGRADED · notice m! since · report ${POST}`],
    ['a foreign status', 'notice m! since t6x3qo'],
  ])('reads no notice from %s', (_what, text) => {
    expect(parseNotice(text)).toBeNull();
  });

  it('skips unknown codes and repeats it does not know', () => {
    expect(parseNotice(`X · notice m!z~m~ since 1 · report ${POST}`)).toEqual({services: [{key: 'messages', down: true}], since: 1000});
  });

  it('maps probes to the services users feel', () => {
    expect(servicesOf(['post_roundtrip', 'cluster', 'ping'])).toEqual(['messages', 'server']);
    expect(servicesOf(['cluster'])).toEqual([]);
  });
});
