// plugin.json as Mattermost reads it, and the README's evidence for its min_server_version: every
// registry call and host global the web app code makes is in the README's table, each older than
// the minimum the manifest asks for.
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {ROOT} from './tools';

type Manifest = {min_server_version: string; homepage_url?: string; support_url?: string; release_notes_url?: string};
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'plugin.json'), 'utf8')) as Manifest;
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Every non-test source file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'testing' ? [] : sources(file);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [file] : [];
  });
}

/** The registry methods (`registry.registerX(`) and host globals (`window.WebappUtils…`) the web app calls. */
function hostCalls(): string[] {
  const calls = new Set<string>();
  for (const file of sources(path.join(ROOT, 'webapp/src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bregistry\.((?:un)?register[A-Za-z]+)\(/g)) calls.add(m[1] as string);
    for (const m of text.matchAll(/\bwindow\.(WebappUtils\??\.[A-Za-z]+)/g)) calls.add(`window.${(m[1] as string).replace('?', '')}`);
  }
  return [...calls].sort();
}

/** Rows of the README's table under "Which Mattermost servers": call names → the version column. */
function evidence(): Map<string, string> {
  const section = readme.split('### Which Mattermost servers')[1]?.split(/\n#{2,3} /)[0] ?? '';
  const rows = new Map<string, string>();
  for (const line of section.split('\n').filter((l) => l.startsWith('| `'))) {
    const [calls = '', since = ''] = line.split('|').slice(1, 3);
    for (const m of calls.matchAll(/`([^`]+)`/g)) rows.set(m[1] as string, since.trim());
  }
  return rows;
}

const major = (v: string) => v.split('.').map(Number) as [number, number, number];

describe('plugin.json', () => {
  it('asks for Mattermost 10.11.0, the Extended Support Release, or later', () => {
    expect(manifest.min_server_version).toBe('10.11.0');
  });

  it('names where to read about it, ask for help and read the release notes (http(s) URLs, as Mattermost requires)', () => {
    for (const key of ['homepage_url', 'support_url', 'release_notes_url'] as const) expect(manifest[key]).toMatch(/^https:\/\/\S+$/);
  });

  it('the README lists every registry call and host global of webapp/src, each in Mattermost before the minimum', () => {
    const calls = hostCalls();
    expect(calls).toEqual(expect.arrayContaining(['registerPostTypeComponent', 'registerNeedsTeamRoute', 'window.WebappUtils.browserHistory']));
    const rows = evidence();
    expect(calls.filter((c) => !rows.has(c))).toEqual([]);
    const [minMajor, minMinor] = major(manifest.min_server_version);
    for (const call of calls) {
      const since = /^(\d+)\.(\d+|x)/.exec(rows.get(call) ?? '');
      expect({call, since: since?.[0]}).toEqual({call, since: expect.any(String)});
      const [sinceMajor, sinceMinor] = [Number(since?.[1]), since?.[2] === 'x' ? 99 : Number(since?.[2])];
      expect({call, older: sinceMajor < minMajor || (sinceMajor === minMajor && sinceMinor <= minMinor)}).toEqual({call, older: true});
    }
  });
});
