import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {loadBridgeState, saveBridgeState} from './bridge-state';

const empty = {version: 1 as const, savedAt: 5, incidents: {trackers: [], open: [], resolved: [], mutes: []}, outbox: {pending: [], delivered: []}, slashTokens: ['t']};

describe('bridge state', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'hc-bridge-state-'))));
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it('reads back the state with its pre-serialized results, or without any', () => {
    const file = path.join(dir, 'state.json');
    saveBridgeState(file, empty, JSON.stringify({entries: [{probe: 'ping'}]}));
    expect(loadBridgeState(file)).toEqual({status: 'loaded', state: {...empty, results: {entries: [{probe: 'ping'}]}}});
    saveBridgeState(file, empty, null);
    expect(loadBridgeState(file)).toEqual({status: 'loaded', state: empty});
  });

  it('refuses a state whose parts are missing and keeps it aside', () => {
    const file = path.join(dir, 'state.json');
    writeFileSync(file, JSON.stringify({version: 1, savedAt: 1, incidents: {open: []}}));
    const loaded = loadBridgeState(file);
    expect(loaded).toMatchObject({status: 'corrupt', reason: expect.stringContaining('incidents.trackers'), movedTo: expect.stringContaining('state.json.corrupt-')});
  });
});
