import {act, render, screen} from '@testing-library/react';
import {withServices} from '../host/services';
import type {HostPost} from '../host/types';
import {color} from '../styles';
import {fakeServices, type FakeRequest} from '../testing/fakes';
import {BOT_ID, OTHER_ID, fixture, serverRoutes, sloAlertPost} from '../testing/fixtures';
import {testSigner, useNodeWebCrypto} from '../testing/signer';
import SloAlertCard from './slo_alert_card';

function renderCard(post: HostPost, opts: Parameters<typeof serverRoutes>[0] = {}, locale = 'en', log: FakeRequest[] = []) {
  const base = serverRoutes(opts);
  const services = fakeServices((req) => (req.path.startsWith(`/posts/${post.id}/actions/`) ? {body: {status: 'OK'}} : base(req)), {locale}, log);
  const Wrapped = withServices(services, SloAlertCard);
  return render(<Wrapped post={post} />);
}

const open = () => fixture<Record<string, unknown>>('slo-alert.open.v1.json');
const withButtons = (alert: Record<string, unknown>, over: Partial<HostPost> = {}) => {
  const p = sloAlertPost(alert, over);
  const actions = [
    {id: 'ack', type: 'button', name: 'Acknowledge', style: 'primary'},
    {id: 'mute1h', type: 'button', name: 'Mute 1 h'},
    {id: 'mute4h', type: 'button', name: 'Mute 4 h'},
  ];
  return {...p, props: {...p.props, attachments: [{actions}]}};
};

describe('SLO alert card', () => {
  it('shows an open page: the objective, its burn rate against the threshold, the budget left and who acknowledged', async () => {
    renderCard(sloAlertPost(open()));
    const card = await screen.findByTestId('healthcheck-slo-alert-card');
    expect(card.querySelector('[data-state="open"]')?.textContent).toBe('Burning fast (page)');
    expect(screen.getByTestId('healthcheck-slo-alert-name').textContent).toBe('Error budget of log-in');
    expect(screen.getByTestId('healthcheck-slo-alert-burn').textContent).toBe('burn rate 22× over 1 h (threshold 14×, peak 24×)');
    expect(screen.getByTestId('healthcheck-slo-alert-budget').textContent).toBe('Budget left 62.0 %');
    expect(card.textContent).toContain('objective 99.50 % over 30 days');
    expect(card.textContent).toContain('probes login');
    expect(screen.getByTestId('healthcheck-slo-alert-ack').textContent).toContain('Acknowledged by @oncall');
    expect(screen.queryByTestId('healthcheck-untrusted')).toBeNull();
  });

  it("colours by the theme's variables (light and dark alike): a page in the error colour, a ticket in amber", async () => {
    renderCard(sloAlertPost(open()));
    const page = (await screen.findByTestId('healthcheck-slo-alert-card')).querySelector('[data-state]') as HTMLElement;
    expect(page.style.color).toBe(color.error);
    expect((screen.getByTestId('healthcheck-slo-alert-card') as HTMLElement).style.background).toBe(color.bg);
    expect(screen.getByTestId('healthcheck-slo-alert-budget').style.color).toBe(color.ok);
    document.body.innerHTML = '';
    renderCard(sloAlertPost({...open(), severity: 'ticket', budgetLeft: -0.2}));
    const ticket = await screen.findByTestId('healthcheck-slo-alert-card');
    expect((ticket.querySelector('[data-state]') as HTMLElement).style.color).toBe(color.warn);
    expect(ticket.textContent).toContain('Burning (ticket)');
    expect(screen.getByTestId('healthcheck-slo-alert-budget').style.color).toBe(color.error);
    for (const el of Array.from(ticket.querySelectorAll<HTMLElement>('[style]'))) expect(el.style.color === '' || el.style.color.includes('var(--')).toBe(true);
  });

  it('shows a resolved alert without its buttons', async () => {
    renderCard(withButtons(fixture('slo-alert.resolved.v1.json')));
    const card = await screen.findByTestId('healthcheck-slo-alert-card');
    expect(card.querySelector('[data-state="resolved"]')?.textContent).toBe('Resolved');
    expect(card.textContent).toContain('resolved after 6 h');
    expect(card.textContent).toContain('probes search_users, search_channels');
    expect(screen.queryByTestId('healthcheck-alert-actions')).toBeNull();
  });

  it("shows the post's buttons and clicks through Mattermost's post action route", async () => {
    const log: FakeRequest[] = [];
    const {ack: _ack, ...unacknowledged} = open();
    const post = withButtons(unacknowledged);
    renderCard(post, {}, 'en', log);
    const actions = await screen.findByTestId('healthcheck-alert-actions');
    expect(Array.from(actions.querySelectorAll('button')).map((b) => b.textContent)).toEqual(['Acknowledge', 'Mute 1 h', 'Mute 4 h']);
    await act(async () => (actions.querySelector('[data-action="ack"]') as HTMLButtonElement).click());
    expect(log.find((r) => r.path.includes('/actions/'))).toMatchObject({method: 'POST', path: `/posts/${post.id}/actions/ack`, credentials: 'include'});
    expect(screen.queryByTestId('healthcheck-slo-alert-ack')).toBeNull();
  });

  it('does not trust an SLO alert from anyone but the bot: plain message, marked, no buttons', async () => {
    renderCard(withButtons(open(), {user_id: OTHER_ID, message: 'budget fine'}));
    expect(await screen.findByTestId('healthcheck-untrusted')).toBeTruthy();
    expect(screen.getByText('budget fine')).toBeTruthy();
    expect(screen.queryByTestId('healthcheck-slo-alert-card')).toBeNull();
    expect(screen.queryByTestId('healthcheck-alert-actions')).toBeNull();
  });

  it('renders the data as text, never as HTML', async () => {
    const {container} = renderCard(sloAlertPost({...open(), slo: '<img src=x onerror=alert(1)>', closedNote: '<b>bold</b>', ack: {by: '<i>x</i>', at: 1}}));
    const card = await screen.findByTestId('healthcheck-slo-alert-card');
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('i')).toBeNull();
    expect(card.textContent).toContain('Error budget of <img src=x onerror=alert(1)>');
    expect(card.textContent).toContain('<b>bold</b>');
  });

  it('reads an incident alert or a report as untrusted, not as an SLO alert', async () => {
    renderCard({...sloAlertPost(open()), type: 'custom_healthcheck_alert'});
    expect(await screen.findByTestId('healthcheck-untrusted')).toBeTruthy();
  });

  it('speaks Dutch to a Dutch user', async () => {
    renderCard(sloAlertPost(open()), {}, 'nl');
    const card = await screen.findByTestId('healthcheck-slo-alert-card');
    expect(card.textContent).toContain('Brandt snel (page)');
    expect(card.textContent).toContain('Foutbudget van log-in');
    expect(card.textContent).toContain('verbruikssnelheid 22× over 1 u (drempel 14×, piek 24×)');
    expect(card.textContent).toContain('Budget over 62.0 %');
    expect(card.textContent).toContain('Bevestigd door @oncall');
  });

  describe('signed', () => {
    const {spki, sign: signed} = testSigner();
    beforeAll(useNodeWebCrypto);

    it('shows an alert whose signature verifies with the declared key', async () => {
      renderCard(signed(sloAlertPost(open())), {signingKey: spki});
      expect((await screen.findByTestId('healthcheck-slo-alert-card')).textContent).toContain('log-in');
    });

    it('shows an alert whose props were patched after signing (budget made to look fine) as a forged one', async () => {
      const post = signed(sloAlertPost({...open(), budgetLeft: -0.5}));
      const patched = {...post, props: {...post.props, healthcheck_slo_alert: {...open(), budgetLeft: 0.99}}};
      renderCard(patched, {signingKey: spki});
      expect(await screen.findByTestId('healthcheck-untrusted')).toBeTruthy();
      expect(screen.queryByTestId('healthcheck-slo-alert-card')).toBeNull();
    });

    it('does not trust an unsigned SLO alert of a bot whose declaration names a key', async () => {
      renderCard(sloAlertPost(open(), {user_id: BOT_ID}), {signingKey: spki});
      expect(await screen.findByTestId('healthcheck-untrusted')).toBeTruthy();
    });
  });
});
