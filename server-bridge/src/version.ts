// The bridge's version: its package.json, kept equal to plugin.json's version (a unit test checks).
import {readFileSync} from 'node:fs';
import path from 'node:path';

export const VERSION = (JSON.parse(readFileSync(path.join(__dirname, '../package.json'), 'utf8')) as {version: string}).version;
