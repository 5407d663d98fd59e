import {act, render, screen, waitFor} from '@testing-library/react';
import type {ComponentType} from 'react';
import {HealthCheckPlugin, PANEL_SETTING_KEY} from './index';
import type {Registry} from './host/types';
import {fakeFetch, fakeStore, type FakeRequest} from './testing/fakes';
import {freshReport, reportPost, serverRoutes} from './testing/fixtures';

// uPlot needs canvas and matchMedia, which jsdom lacks: chart/latency_chart.test.tsx covers its wiring.
jest.mock('./chart/latency_chart', () => ({__esModule: true, default: () => null}));

/** A registry that records every call and hands out ids, like the host's. */
function recordingRegistry() {
  const calls: {method: string; args: unknown[]; ret: unknown}[] = [];
  let n = 0;
  const registry = new Proxy({} as Registry, {
    get:
      (_t, method: string) =>
      (...args: unknown[]) => {
        const ret = method.startsWith('register') ? `id${++n}` : undefined;
        calls.push({method, args, ret});
        return ret;
      },
  });
  return {registry, calls, names: () => calls.map((c) => c.method)};
}

describe('HealthCheckPlugin', () => {
  it('registers translations, three post types, the panel setting, the slash hook and the posted handler', async () => {
    const {registry, calls} = recordingRegistry();
    new HealthCheckPlugin().initialize(registry, fakeStore());
    const types = calls.filter((c) => c.method === 'registerPostTypeComponent').map((c) => c.args[0]);
    expect(types).toEqual(['custom_healthcheck_report', 'custom_healthcheck_alert', 'custom_healthcheck_slo', 'custom_healthcheck_status']);
    expect(calls.find((c) => c.method === 'registerAdminConsoleCustomSetting')?.args[0]).toBe(PANEL_SETTING_KEY);
    expect(calls.filter((c) => c.method === 'registerWebSocketEventHandler').map((c) => c.args[0])).toEqual(['user_updated', 'posted']);
    expect(calls.filter((c) => c.method === 'registerGlobalComponent')).toHaveLength(1);
    expect(calls.some((c) => c.method === 'registerSlashCommandWillBePostedHook')).toBe(true);
    expect(calls.find((c) => c.method === 'registerNeedsTeamRoute')?.args[0]).toBe('/status');
    expect(calls.find((c) => c.method === 'registerMainMenuAction')?.args[0]).toBe('Mattermost status');
    // The translations come with their lazy chunk, after initialize.
    await waitFor(() => expect(calls.some((c) => c.method === 'registerTranslations')).toBe(true));
    const translations = calls.find((c) => c.method === 'registerTranslations')?.args[0] as (l: string) => Record<string, string>;
    expect(translations('nl')['mattermost-healthcheck.run.button']).toBe('Probes nu uitvoeren');
  });

  it('unregisters with the handles it was given, once', () => {
    const {registry, calls} = recordingRegistry();
    const plugin = new HealthCheckPlugin();
    plugin.initialize(registry, fakeStore());
    const registered = calls.length;
    plugin.uninitialize();
    const handles = (method: string) =>
      calls
        .slice(0, registered)
        .filter((c) => c.method === method)
        .map((c) => c.ret);
    const cleanup = calls.slice(registered);
    expect(
      cleanup
        .filter((c) => c.method === 'unregisterPostTypeComponent')
        .map((c) => c.args[0])
        .sort(),
    ).toEqual(handles('registerPostTypeComponent').sort());
    const components = ['registerSlashCommandWillBePostedHook', 'registerNeedsTeamRoute', 'registerMainMenuAction', 'registerGlobalComponent'].flatMap(handles);
    expect(components).toHaveLength(4);
    expect(
      cleanup
        .filter((c) => c.method === 'unregisterComponent')
        .map((c) => c.args[0])
        .sort(),
    ).toEqual(components.sort());
    expect(
      cleanup
        .filter((c) => c.method === 'unregisterWebSocketEventHandler')
        .map((c) => c.args[0])
        .sort(),
    ).toEqual(['posted', 'user_updated']);
    plugin.uninitialize();
    expect(calls.length).toBe(registered + cleanup.length);
  });

  it('hands no translations to the host once uninitialized before their chunk arrived', async () => {
    const {registry, calls} = recordingRegistry();
    const plugin = new HealthCheckPlugin();
    plugin.initialize(registry, fakeStore());
    plugin.uninitialize();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.filter((c) => c.method === 'registerTranslations')).toHaveLength(0);
  });

  it('never throws from initialize or uninitialize, even with a broken registry', () => {
    const plugin = new HealthCheckPlugin();
    const registry = new Proxy({} as Registry, {
      get: () => {
        throw new Error('boom');
      },
    });
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => plugin.initialize(registry, fakeStore())).not.toThrow();
    expect(() => plugin.uninitialize()).not.toThrow();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});

describe('HealthCheckPlugin wiring', () => {
  const realFetch = globalThis.fetch;
  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('feeds websocket posted events and reconnects into the panel it registered', async () => {
    const posts = [reportPost(freshReport(11 * 60_000))];
    const requests: FakeRequest[] = [];
    globalThis.fetch = fakeFetch(serverRoutes({posts}), requests) as typeof fetch;
    const {registry, calls} = recordingRegistry();
    const plugin = new HealthCheckPlugin();
    plugin.initialize(registry, fakeStore());
    const arg = <T,>(method: string, i: number) => calls.find((c) => c.method === method)?.args[i] as T;
    const Panel = arg<ComponentType<{id: string}>>('registerAdminConsoleCustomSetting', 1);
    const posted = calls.find((c) => c.method === 'registerWebSocketEventHandler' && c.args[0] === 'posted')?.args[1] as (msg: unknown) => void;
    const reconnected = arg<() => void>('registerReconnectHandler', 0);

    render(<Panel id='HealthPanel' />);
    expect(await screen.findByTestId('healthcheck-stale')).toBeTruthy();

    const fresh = reportPost(freshReport(1000, 'report.ok.v1.json'), {create_at: Date.now()});
    act(() => posted({event: 'posted', data: {post: JSON.stringify(fresh)}, broadcast: {channel_id: fresh.channel_id}}));
    await waitFor(() => expect(screen.queryByTestId('healthcheck-stale')).toBeNull());

    const before = requests.filter((r) => r.path.endsWith('/posts')).length;
    act(() => reconnected());
    await waitFor(() => expect(requests.filter((r) => r.path.endsWith('/posts')).length).toBe(before + 1));
    plugin.uninitialize();
    expect(calls.some((c) => c.method === 'unregisterReconnectHandler')).toBe(true);
  });
});
