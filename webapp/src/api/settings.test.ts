import {DEFAULT_SETTINGS, readSettings} from './settings';

describe('readSettings', () => {
  it('uses the setup defaults when the admin config cannot be read', () => {
    expect(readSettings(undefined, 'mattermost-healthcheck')).toEqual(DEFAULT_SETTINGS);
    expect(readSettings({}, 'mattermost-healthcheck')).toEqual(DEFAULT_SETTINGS);
  });

  it('reads the lowercased keys the server stores, trims @ and ~', () => {
    const config = {PluginSettings: {Plugins: {'mattermost-healthcheck': {botusername: '@probe-bot', team: 'ops', logchannel: '~hc-log', opschannel: 'hc-ops', heartbeatminutes: '10'}}}};
    expect(readSettings(config, 'mattermost-healthcheck')).toEqual({botUsername: 'probe-bot', team: 'ops', logChannel: 'hc-log', opsChannel: 'hc-ops', heartbeatMinutes: 10, fromConfig: true});
  });

  it('falls back per setting on empty or invalid values', () => {
    const config = {PluginSettings: {Plugins: {'mattermost-healthcheck': {BotUsername: '  ', heartbeatminutes: -3}}}};
    expect(readSettings(config, 'mattermost-healthcheck')).toMatchObject({botUsername: 'healthcheck-bot', heartbeatMinutes: null, fromConfig: true});
  });
});
