// The one source of the version: plugin.json at the repository root (next to dist/ or src/).
import {readFileSync} from 'node:fs';
import path from 'node:path';

export function readManifest(): {id: string; version: string} {
  for (const rel of ['../../plugin.json', '../plugin.json', '../../../plugin.json']) {
    try {
      const parsed = JSON.parse(readFileSync(path.resolve(__dirname, rel), 'utf8')) as {id?: string; version?: string};
      if (parsed.id && parsed.version) return {id: parsed.id, version: parsed.version};
    } catch {
      // try the next location
    }
  }
  return {id: 'mattermost-healthcheck', version: '0.0.0-unknown'};
}

export const VERSION = readManifest().version;
