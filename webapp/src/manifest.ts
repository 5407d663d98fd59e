// The plugin's id and version, read from plugin.json at build time.
import manifest from '../../plugin.json';

export const PLUGIN_ID: string = manifest.id;
export const PLUGIN_VERSION: string = manifest.version;
