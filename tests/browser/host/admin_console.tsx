// System Console › Plugins › <plugin>: the plugin's settings_schema as the console renders it
// (components/admin_console/custom_plugin_settings): a registered custom component replaces the
// setting of its (lowercased) key and gets the console's props; plain settings are simple inputs.
import React, {useCallback, useMemo, useRef, useState} from 'react';
import {useDispatch, useSelector} from 'react-redux';
import {apiCall} from './api';
import {PluginBoundary} from './plugin_boundary';
import type {HostState} from './store';
import type {PluginManifest, PluginSetting} from './types';

type SaveAction = () => Promise<{error?: {message?: string}} | undefined>;

/** The console's key of a plugin setting: PluginSettings.Plugins.<id, dots escaped>.<lowercased key>. */
export function settingId(pluginId: string, key: string): string {
  return `PluginSettings.Plugins.${pluginId.replace(/\./g, '+')}.${key.toLowerCase()}`;
}

export function pluginConfig(config: Record<string, unknown>, pluginId: string): Record<string, unknown> {
  const plugins = ((config.PluginSettings as Record<string, unknown> | undefined)?.Plugins ?? {}) as Record<string, unknown>;
  const entry = Object.entries(plugins).find(([id]) => id.toLowerCase() === pluginId.toLowerCase())?.[1];
  return entry && typeof entry === 'object' ? Object.fromEntries(Object.entries(entry).map(([k, v]) => [k.toLowerCase(), v])) : {};
}

/** A manifest from the server carries plain text; the package also allows the web app's message descriptors. */
const helpText = (setting: PluginSetting): string => (typeof setting.help_text === 'string' ? setting.help_text : (setting.help_text?.defaultMessage ?? ''));

function PlainSetting({setting, id, value, onChange}: {setting: PluginSetting; id: string; value: unknown; onChange: (id: string, value: unknown) => void}) {
  const label = setting.display_name ?? setting.key;
  let input: React.ReactNode;
  switch (setting.type) {
    case 'bool':
      input = <input id={id} type='checkbox' checked={value === true || value === 'true'} onChange={(e) => onChange(id, e.target.checked)} />;
      break;
    case 'dropdown':
    case 'radio':
      input = (
        <select id={id} value={String(value ?? '')} onChange={(e) => onChange(id, e.target.value)}>
          {(setting.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.display_name}
            </option>
          ))}
        </select>
      );
      break;
    case 'longtext':
      input = <textarea id={id} value={String(value ?? '')} placeholder={setting.placeholder} onChange={(e) => onChange(id, e.target.value)} />;
      break;
    case 'number':
      input = <input id={id} type='number' value={String(value ?? '')} onChange={(e) => onChange(id, Number(e.target.value))} />;
      break;
    default:
      input = <input id={id} type='text' value={String(value ?? '')} placeholder={setting.placeholder} onChange={(e) => onChange(id, e.target.value)} />;
  }
  return (
    <div className='console-setting' data-setting-key={setting.key}>
      <label htmlFor={id}>{label}</label>
      <div>
        {input}
        {setting.help_text && <p className='console-help'>{helpText(setting)}</p>}
      </div>
    </div>
  );
}

export function AdminConsolePage({manifest}: {manifest: PluginManifest}) {
  const dispatch = useDispatch();
  const config = useSelector((s: HostState) => s.entities.admin.config);
  const license = useSelector((s: HostState) => s.entities.general.license);
  const custom = useSelector((s: HostState) => s.plugins.adminConsoleCustomComponents[manifest.id]);
  const settings = useMemo(() => manifest.settings_schema?.settings ?? [], [manifest]);
  const [values, setValues] = useState<Record<string, unknown>>(() => {
    const current = pluginConfig(config, manifest.id);
    return Object.fromEntries(settings.map((s) => [settingId(manifest.id, s.key), current[s.key.toLowerCase()] ?? s.default]));
  });
  const [saveNeeded, setSaveNeeded] = useState(false);
  const [status, setStatus] = useState('');
  const saveActions = useRef<SaveAction[]>([]);

  const onChange = useCallback((id: string, value: unknown) => {
    setValues((v) => ({...v, [id]: value}));
    setSaveNeeded(true);
  }, []);
  const registerSaveAction = useCallback((fn: SaveAction) => {
    saveActions.current.push(fn);
  }, []);
  const unRegisterSaveAction = useCallback((fn: SaveAction) => {
    saveActions.current = saveActions.current.filter((f) => f !== fn);
  }, []);
  const markSaveNeeded = useCallback(() => setSaveNeeded(true), []);
  const cancelSubmit = useCallback(() => setStatus(''), []);

  const save = async () => {
    setStatus('Saving…');
    try {
      const entry = {...pluginConfig(config, manifest.id), ...Object.fromEntries(settings.map((s) => [s.key.toLowerCase(), values[settingId(manifest.id, s.key)]]))};
      const saved = await apiCall<Record<string, unknown>>('PUT', '/config/patch', {PluginSettings: {Plugins: {[manifest.id]: entry}}});
      dispatch({type: 'RECEIVED_CONFIG', data: saved.data});
      const results = await Promise.all(saveActions.current.map((fn) => fn()));
      const failed = results.find((r) => r?.error);
      setStatus(failed ? `Saved the settings; a plugin save action failed: ${failed.error?.message ?? 'unknown error'}` : 'Saved.');
      setSaveNeeded(Boolean(failed));
    } catch (err) {
      setStatus(err instanceof Error ? err.message : String(err));
    }
  };

  const schema = manifest.settings_schema;
  return (
    <div className='console-page' data-plugin-id={manifest.id}>
      <h2>{manifest.name ?? manifest.id}</h2>
      {schema?.header && <p className='console-banner'>{schema.header}</p>}
      <div className='console-setting'>
        <span>Enable Plugin</span>
        <span>true (the plugin is enabled on the server)</span>
      </div>
      {settings.map((setting) => {
        const id = settingId(manifest.id, setting.key);
        const entry = custom?.[setting.key.toLowerCase()];
        if (!entry) {
          if (setting.type === 'custom') {
            return (
              <p key={id} className='console-banner warning'>
                In order to view this setting, enable the plugin and click Save.
              </p>
            );
          }
          return <PlainSetting key={id} setting={setting} id={id} value={values[id]} onChange={onChange} />;
        }
        const Custom = entry.component;
        const label = setting.display_name ?? '';
        const rendered = (
          <PluginBoundary name={`custom setting ${setting.key}`}>
            <Custom
              id={id}
              label={label}
              helpText={<span>{helpText(setting)}</span>}
              value={values[id]}
              disabled={false}
              config={config}
              license={license}
              setByEnv={false}
              onChange={onChange}
              registerSaveAction={registerSaveAction}
              setSaveNeeded={markSaveNeeded}
              unRegisterSaveAction={unRegisterSaveAction}
              cancelSubmit={cancelSubmit}
              showConfirm={false}
            />
          </PluginBoundary>
        );
        return entry.options.showTitle ? (
          <div key={id} className='console-setting' data-setting-key={setting.key}>
            <span>{label}</span>
            <div>{rendered}</div>
          </div>
        ) : (
          <div key={id} className='console-custom' data-setting-key={setting.key}>
            {rendered}
          </div>
        );
      })}
      {schema?.footer && <p className='console-help'>{schema.footer}</p>}
      <div className='console-save'>
        <button type='button' disabled={!saveNeeded} onClick={save}>
          Save
        </button>
        <span role='status'>{status}</span>
      </div>
    </div>
  );
}
