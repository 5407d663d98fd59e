import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {bridgeStateText, loadBridgeState} from './bridge-state';

const empty = {version: 1 as const, savedAt: 5, incidents: {trackers: [], open: [], resolved: [], mutes: []}, outbox: {pending: [], delivered: []}};

describe('bridge state', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'hc-bridge-state-'))));
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it('reads back every part', () => {
    const file = path.join(dir, 'state.json');
    writeFileSync(file, bridgeStateText(empty));
    expect(loadBridgeState(file)).toEqual({status: 'loaded', parts: {incidents: empty.incidents, outbox: empty.outbox}, problems: [], copiedTo: null});
  });

  it('never brings back the slash tokens an older version saved', () => {
    const file = path.join(dir, 'state.json');
    writeFileSync(file, JSON.stringify({...empty, slashTokens: ['oldtoken00000000000000000a']}));
    const loaded = loadBridgeState(file);
    expect(loaded.status === 'loaded' && loaded.parts).toEqual({incidents: empty.incidents, outbox: empty.outbox});
  });

  it('leaves out a bad part with its reason, keeps the others, and keeps a copy of the file', () => {
    const file = path.join(dir, 'state.json');
    const text = JSON.stringify({...empty, outbox: {pending: [{deliveryId: 3}], delivered: []}, results: {entries: 'nope'}});
    writeFileSync(file, text);
    const loaded = loadBridgeState(file, () => Date.UTC(2026, 0, 2));
    if (loaded.status !== 'loaded') throw new Error(`not loaded: ${loaded.status}`);
    expect(loaded.parts).toEqual({incidents: empty.incidents});
    expect(loaded.problems).toEqual([expect.stringMatching(/^outbox: outbox\.pending\.0\.deliveryId/), expect.stringMatching(/^results: results\.entries/)]);
    expect(loaded.copiedTo).toBe(`${file}.corrupt-2026-01-02T00-00-00-000Z`);
    expect(readFileSync(loaded.copiedTo as string, 'utf8')).toBe(text);
    expect(existsSync(file)).toBe(true);
  });

  it('moves aside a file that is not a state file at all', () => {
    const file = path.join(dir, 'state.json');
    writeFileSync(file, JSON.stringify({version: 7}));
    expect(loadBridgeState(file)).toMatchObject({status: 'corrupt', reason: expect.stringContaining('version'), movedTo: expect.stringContaining('state.json.corrupt-')});
  });
});
