import {fakeServices} from '../testing/fakes';
import {fixture, freshReport, reportPost, serverRoutes} from '../testing/fixtures';
import {loadStatus} from './load_status';
import {answersInBrowser, createStatusHook} from './status_hook';

const args = {channel_id: 'chan1', team_id: 'team1', root_id: ''};

describe('answersInBrowser', () => {
  it.each(['/healthcheck', '/healthcheck status', '  /HealthCheck   STATUS ', '/healthcheck\tstatus'])('answers %j', (m) => expect(answersInBrowser(m)).toBe(true));
  it.each(['/healthcheck run', '/healthcheck mute 1h', '/healthcheck status now', '/healthcheckx', '/echo healthcheck', '/away'])('passes %j on', (m) => expect(answersInBrowser(m)).toBe(false));
});

describe('the /healthcheck hook', () => {
  it('follows the trigger the bridge serves, learned from the bot profile without holding any command', async () => {
    const services = fakeServices(serverRoutes({posts: [reportPost(freshReport())]}));
    const loadTrigger = jest.fn(async () => '/hc-ops');
    const hook = createStatusHook(services, loadStatus, () => 'eph9', loadTrigger);
    // Not learned yet: the bridge answers, the command is not held.
    expect(await hook('/hc-ops', {...args})).toEqual({message: '/hc-ops', args});
    await new Promise((r) => setTimeout(r, 0));
    expect(await hook('/hc-ops', {...args})).toEqual({});
    expect(await hook('/healthcheck', {...args})).toEqual({message: '/healthcheck', args});
    expect(loadTrigger).toHaveBeenCalledTimes(1);
  });

  it('reads the trigger from the trusted bot status', async () => {
    const {triggerFor} = await import('./load_status');
    expect(await triggerFor(fakeServices(serverRoutes({reportPointer: 'reportpost0000000000000000', trigger: 'hc-ops'})), 'team1')).toBe('/hc-ops');
    expect(await triggerFor(fakeServices(serverRoutes()), 'team1')).toBeNull();
  });

  it('passes other commands and subcommands through untouched, without any request', async () => {
    const load = jest.fn();
    const services = fakeServices(() => undefined);
    const hook = createStatusHook(services, load);
    for (const message of ['/away', '/healthcheck run', '/healthcheck mute 30m ping', '/echo /healthcheck']) {
      const theArgs = {...args};
      const result = await hook(message, theArgs);
      expect(result).toEqual({message, args: theArgs});
      expect((result as {args: unknown}).args).toBe(theArgs);
    }
    expect(load).not.toHaveBeenCalled();
    expect(services.store.actions).toEqual([]);
  });

  it('answers /healthcheck with an ephemeral post of our type, holding a live ping and the latest report', async () => {
    const services = fakeServices(serverRoutes({posts: [reportPost(freshReport())]}));
    const hook = createStatusHook(services, loadStatus, () => 'eph1');
    expect(await hook('/healthcheck', args)).toEqual({});
    expect(services.store.actions).toHaveLength(1);
    const action = services.store.actions[0] as {type: string; data: Record<string, unknown>};
    expect(action.type).toBe('RECEIVED_NEW_POST');
    expect(action.data).toMatchObject({id: 'eph1', type: 'custom_healthcheck_status', channel_id: 'chan1', user_id: 'me', message: 'Health check: Failing'});
    const snapshot = services.statuses.get('eph1');
    expect(snapshot?.ping?.status).toBe('OK');
    expect(snapshot?.ping?.deep).toBe(false);
    expect(snapshot?.latest.report.overall).toBe('failing');
    expect(snapshot?.staleAfterMs).toBe(600_000);
  });

  it('passes through when the user cannot read a trusted report (no channel, only forged reports, errors)', async () => {
    const forged = reportPost(fixture('report.v1.json'), {user_id: 'someoneelse000000000000000'});
    for (const routes of [serverRoutes({noChannel: true}), serverRoutes({posts: [forged]}), serverRoutes({noBot: true}), () => ({status: 500, body: {message: 'boom'}})]) {
      const services = fakeServices(routes);
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const result = await createStatusHook(services, loadStatus)('/healthcheck status', args);
      warn.mockRestore();
      expect(result).toEqual({message: '/healthcheck status', args});
      expect(services.store.actions).toEqual([]);
    }
  });
});
