import {BOT_PROPS, botStatus, type Notice} from '@contract';
import {act, fireEvent, render, screen, waitFor} from '@testing-library/react';
import {ServicesProvider} from '../host/services';
import {fakeServices, type FakeRequest} from '../testing/fakes';
import {BOT_ID, serverRoutes, type ServerOptions} from '../testing/fixtures';
import NoticeRoot from './notice_root';
import {noticeTime} from './notice_words';

const REPORT = 'report0000000000000000000a';
const NEXT = 'report0000000000000000000b';
// 10:02 in Amsterdam (UTC+1 in November).
const SINCE = Date.UTC(2026, 10, 30, 9, 2, 0);
const slowMessages: Notice = {services: [{key: 'messages', down: false}], since: SINCE};
const botWith = (notice: Notice | null, reportId = REPORT, props: Record<string, unknown> = {}) => ({
  id: BOT_ID,
  is_bot: true,
  props: {[BOT_PROPS.customStatus]: JSON.stringify(botStatus('degraded', 'healthcheck', reportId, notice)), ...props},
});

function setup(opts: ServerOptions = {}, store: {locale?: string; military?: boolean | null} = {}) {
  const requests: FakeRequest[] = [];
  const services = fakeServices(serverRoutes({reportPointer: REPORT, notice: slowMessages, ...opts}), {locale: store.locale}, requests);
  const entities = services.store.state.entities as {users: {profiles: {me: Record<string, unknown>}}; preferences?: unknown};
  entities.users.profiles.me.timezone = {useAutomaticTimezone: 'false', manualTimezone: 'Europe/Amsterdam', automaticTimezone: ''};
  if (store.military !== null) entities.preferences = {myPreferences: {'display_settings--use_military_time': {value: store.military === false ? 'false' : 'true'}}};
  render(
    <ServicesProvider value={services}>
      <NoticeRoot />
    </ServicesProvider>,
  );
  return {services, requests, emit: (user: unknown) => act(() => services.users.emit(user))};
}

beforeEach(() => {
  window.localStorage.clear();
  jest.useFakeTimers({now: SINCE + 3_600_000, doNotFake: ['setTimeout', 'setInterval', 'queueMicrotask', 'nextTick', 'setImmediate']});
});
afterEach(() => jest.useRealTimers());

describe('the degraded-service notice', () => {
  it("says which service is slow since when, in the user's zone and clock, and links to the status page", async () => {
    setup();
    const bar = await screen.findByTestId('healthcheck-notice');
    expect(bar.textContent).toContain('Sending messages is slow since 10:02 — the admins are on it.');
    expect(screen.getByRole('link', {name: 'Status'}).getAttribute('href')).toBe('http://mm.test/healthcheck/mattermost-healthcheck/status');
  });

  it("follows the bot's user_updated events with no request, ignores other users, and goes when the status has no notice", async () => {
    const {emit, requests} = setup();
    await screen.findByTestId('healthcheck-notice');
    const asked = requests.length;
    emit(botWith(slowMessages, NEXT));
    emit({...botWith({services: [{key: 'signIn', down: true}], since: SINCE}), id: 'someoneelse000000000000000'});
    expect(screen.getByTestId('healthcheck-notice').textContent).toContain('Sending messages is slow');
    emit(
      botWith(
        {
          services: [
            {key: 'messages', down: false},
            {key: 'search', down: true},
          ],
          since: SINCE,
        },
        NEXT,
      ),
    );
    expect(screen.getByTestId('healthcheck-notice').textContent).toContain('Sending messages is slow and search does not work since 10:02');
    emit(botWith(null, NEXT));
    expect(screen.queryByTestId('healthcheck-notice')).toBeNull();
    emit(botWith(slowMessages, NEXT));
    expect(await screen.findByTestId('healthcheck-notice')).toBeTruthy();
    expect(requests.length).toBe(asked);
  });

  it('shows nothing for a bot no admin declared trusted, or without a notice', async () => {
    const {requests} = setup({undeclared: true});
    await waitFor(() => expect(requests.some((r) => r.path === `/users/${BOT_ID}`)).toBe(true));
    await act(async () => undefined);
    expect(screen.queryByTestId('healthcheck-notice')).toBeNull();
  });

  it('reads the status without a trust check when there is no notice', async () => {
    const {requests, emit} = setup({notice: undefined});
    await waitFor(() => expect(requests.map((r) => r.path)).toEqual(['/users/username/healthcheck-bot']));
    emit(botWith(null, NEXT));
    expect(screen.queryByTestId('healthcheck-notice')).toBeNull();
    expect(requests).toHaveLength(1);
  });

  it("speaks Dutch on a 12-hour clock when the user does, and uses the admins' words as plain text", async () => {
    setup({noticeText: '<b>{services}</b> hapert sinds {since}'}, {locale: 'nl', military: false});
    const bar = await screen.findByTestId('healthcheck-notice');
    expect(bar.textContent).toContain('<b>berichten versturen</b> hapert sinds 10:02 a.m.');
    expect(bar.querySelector('b')).toBeNull();
  });

  it("uses the web app's default 12-hour clock when the user set none", async () => {
    setup({}, {military: null});
    expect((await screen.findByTestId('healthcheck-notice')).textContent).toContain('since 10:02 AM');
  });

  it('hides until the notice changes when closed', async () => {
    const {emit} = setup();
    fireEvent.click(await screen.findByRole('button', {name: 'Hide this notice'}));
    expect(screen.queryByTestId('healthcheck-notice')).toBeNull();
    emit(botWith(slowMessages, NEXT, {[BOT_PROPS.noticeText]: 'other words'}));
    expect(screen.queryByTestId('healthcheck-notice')).toBeNull();
    emit(botWith({...slowMessages, services: [{key: 'messages', down: true}]}, NEXT));
    expect(await screen.findByTestId('healthcheck-notice')).toBeTruthy();
  });

  it("goes when the bot's status expires (a bridge that stopped writing it), and is not shown from an expired one", async () => {
    const {emit} = setup();
    await screen.findByTestId('healthcheck-notice');
    const expiring = (at: number) => {
      const user = botWith(slowMessages, NEXT);
      const status = JSON.parse(user.props[BOT_PROPS.customStatus]) as Record<string, unknown>;
      return {...user, props: {...user.props, [BOT_PROPS.customStatus]: JSON.stringify({...status, duration: 'date_and_time', expires_at: new Date(at).toISOString()})}};
    };
    emit(expiring(Date.now() - 1000));
    expect(screen.queryByTestId('healthcheck-notice')).toBeNull();
    emit({...expiring(Date.now() + 1500), props: {...expiring(Date.now() + 1500).props, [BOT_PROPS.noticeText]: 'soon gone'}});
    expect(screen.getByTestId('healthcheck-notice').textContent).toContain('soon gone');
    // The clock is fake (the notice's time of day): it moves past the expiry as the real timer runs.
    jest.setSystemTime(Date.now() + 2000);
    await waitFor(() => expect(screen.queryByTestId('healthcheck-notice')).toBeNull(), {timeout: 4000});
  });

  it('puts the date before the time on another day', () => {
    expect(noticeTime('en', SINCE, SINCE + 86_400_000, {timeZone: 'Europe/Amsterdam', hour12: false})).toBe('Nov 30, 10:02');
    expect(noticeTime('en', SINCE, SINCE, {timeZone: 'Not/AZone'})).toMatch(/\d/);
  });
});
