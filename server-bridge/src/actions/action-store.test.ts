import {chmodSync, mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {ActionStore} from './action-store';

const log = {warn: () => undefined};
let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'hc-actions-'))));
afterEach(() => rmSync(dir, {recursive: true, force: true}));

describe('ActionStore', () => {
  it('writes the key file 0600 even over a temp file an earlier run left with a wider mode', () => {
    const file = path.join(dir, 'state.json.actions');
    writeFileSync(`${file}.tmp`, 'left over', {mode: 0o644});
    chmodSync(`${file}.tmp`, 0o644);
    const store = new ActionStore({file, log});
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(new ActionStore({file, log}).key.equals(store.key)).toBe(true);
  });

  it('makes a missing folder for the file readable by the bridge alone', () => {
    const file = path.join(dir, 'new', 'state.json.actions');
    void new ActionStore({file, log});
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
