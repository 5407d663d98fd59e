// The registry: positional or named arguments as the web app's reArg, recorded in the store.
import {createRegistry, reArg} from './registry';
import {createHostStore} from './store';

describe('reArg', () => {
  const f = reArg(['type', 'component'], (a) => a);
  it('maps positional arguments to names', () => {
    expect(f('custom_x', 'C')).toEqual({type: 'custom_x', component: 'C'});
  });
  it('takes one object of named arguments', () => {
    expect(f({type: 'custom_x', component: 'C'})).toEqual({type: 'custom_x', component: 'C'});
  });
  it('reads an object with other keys as the first positional argument', () => {
    expect(f({other: 1})).toEqual({type: {other: 1}, component: undefined});
  });
});

describe('registry', () => {
  const setup = () => {
    const host = createHostStore();
    return {...host, registry: createRegistry('plugin.x', {store: host.store, addReducer: host.addReducer}) as unknown as Record<string, (...a: unknown[]) => unknown>};
  };

  it('records post types and removes them by the id it returned', () => {
    const {store, registry} = setup();
    const id = registry.registerPostTypeComponent?.('custom_card', () => null);
    expect(store.getState().plugins.postTypes.custom_card).toMatchObject({id, pluginId: 'plugin.x'});
    registry.unregisterPostTypeComponent?.(id);
    expect(store.getState().plugins.postTypes.custom_card).toBeUndefined();
  });

  it('keys admin console settings by their lowercased key, with showTitle false by default', () => {
    const {store, registry} = setup();
    registry.registerAdminConsoleCustomSetting?.('HealthPanel', () => null);
    expect(store.getState().plugins.adminConsoleCustomComponents['plugin.x']?.healthpanel?.options).toEqual({showTitle: false});
  });

  it('keeps slash hooks in order and unregisters them', () => {
    const {store, registry} = setup();
    const a = registry.registerSlashCommandWillBePostedHook?.(() => ({}));
    registry.registerSlashCommandWillBePostedHook?.({hook: () => ({})});
    expect(store.getState().plugins.components.SlashCommandWillBePosted).toHaveLength(2);
    registry.unregisterComponent?.(a);
    expect(store.getState().plugins.components.SlashCommandWillBePosted).toHaveLength(1);
  });

  it('keeps team routes and main menu entries (positional or named) and unregisters them', () => {
    const {store, registry} = setup();
    const route = registry.registerNeedsTeamRoute?.('/status', () => null);
    const menu = registry.registerMainMenuAction?.({text: 'Status', action: () => undefined});
    expect(store.getState().plugins.components.NeedsTeamRoute).toEqual([expect.objectContaining({id: route, pluginId: 'plugin.x', route: '/status'})]);
    expect(store.getState().plugins.components.MainMenu).toEqual([expect.objectContaining({id: menu, text: 'Status'})]);
    registry.unregisterComponent?.(route);
    registry.unregisterComponent?.(menu);
    expect(store.getState().plugins.components.NeedsTeamRoute).toEqual([]);
    expect(store.getState().plugins.components.MainMenu).toEqual([]);
  });

  it('puts a registered reducer at plugins-<id>', () => {
    const {store, registry} = setup();
    registry.registerReducer?.((state: number = 7) => state);
    expect((store.getState() as unknown as Record<string, unknown>)['plugins-plugin.x']).toBe(7);
  });

  it('accepts what the preview does not mount, and lists it', () => {
    const {store, registry} = setup();
    expect(typeof registry.registerChannelHeaderButtonAction?.('icon', () => undefined, 'text', 'tip')).toBe('string');
    expect(store.getState().preview.registrations.map((r) => r.method)).toContain('registerChannelHeaderButtonAction');
  });
});
