import {readFileSync} from 'node:fs';
import path from 'node:path';
import {VERSION} from './version';

describe('VERSION', () => {
  it("is plugin.json's version, so the plugin bundle and the bridge package carry one version", () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../plugin.json'), 'utf8')) as {version: string};
    expect(VERSION).toBe(manifest.version);
  });
});
