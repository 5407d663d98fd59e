import {HealthCheckPlugin, PANEL_SETTING_KEY} from './index';
import type {Registry} from './host/types';
import {fakeStore} from './testing/fakes';

/** A registry that records every call and hands out ids, like the host's. */
function recordingRegistry() {
  const calls: {method: string; args: unknown[]; ret: unknown}[] = [];
  let n = 0;
  const registry = new Proxy({} as Registry, {
    get: (_t, method: string) =>
      (...args: unknown[]) => {
        const ret = method.startsWith('register') ? `id${++n}` : undefined;
        calls.push({method, args, ret});
        return ret;
      },
  });
  return {registry, calls, names: () => calls.map((c) => c.method)};
}

describe('HealthCheckPlugin', () => {
  it('registers translations, three post types, the panel setting, the slash hook and the posted handler', () => {
    const {registry, calls} = recordingRegistry();
    new HealthCheckPlugin().initialize(registry, fakeStore());
    const types = calls.filter((c) => c.method === 'registerPostTypeComponent').map((c) => c.args[0]);
    expect(types).toEqual(['custom_healthcheck_report', 'custom_healthcheck_alert', 'custom_healthcheck_status']);
    expect(calls.find((c) => c.method === 'registerAdminConsoleCustomSetting')?.args[0]).toBe(PANEL_SETTING_KEY);
    expect(calls.find((c) => c.method === 'registerWebSocketEventHandler')?.args[0]).toBe('posted');
    expect(calls.some((c) => c.method === 'registerSlashCommandWillBePostedHook')).toBe(true);
    const translations = calls.find((c) => c.method === 'registerTranslations')?.args[0] as (l: string) => Record<string, string>;
    expect(translations('nl')['mattermost-healthcheck.run.button']).toBe('Probes nu uitvoeren');
  });

  it('unregisters with the handles it was given, once', () => {
    const {registry, calls} = recordingRegistry();
    const plugin = new HealthCheckPlugin();
    plugin.initialize(registry, fakeStore());
    const registered = calls.length;
    plugin.uninitialize();
    const handles = (method: string) => calls.slice(0, registered).filter((c) => c.method === method).map((c) => c.ret);
    const cleanup = calls.slice(registered);
    expect(cleanup.filter((c) => c.method === 'unregisterPostTypeComponent').map((c) => c.args[0]).sort()).toEqual(handles('registerPostTypeComponent').sort());
    expect(cleanup.filter((c) => c.method === 'unregisterComponent').map((c) => c.args[0])).toEqual(handles('registerSlashCommandWillBePostedHook'));
    expect(cleanup.find((c) => c.method === 'unregisterWebSocketEventHandler')?.args[0]).toBe('posted');
    plugin.uninitialize();
    expect(calls.length).toBe(registered + cleanup.length);
  });

  it('never throws from initialize or uninitialize, even with a broken registry', () => {
    const plugin = new HealthCheckPlugin();
    const registry = new Proxy({} as Registry, {get: () => { throw new Error('boom'); }});
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => plugin.initialize(registry, fakeStore())).not.toThrow();
    expect(() => plugin.uninitialize()).not.toThrow();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });
});
