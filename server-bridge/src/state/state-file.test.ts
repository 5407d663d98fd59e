import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod';
import {readState, writeTextAtomicAsync} from './state-file';

const schema = z.object({version: z.literal(1), items: z.array(z.string())});

describe('state file', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hc-state-'));
    file = path.join(dir, 'state.json');
  });
  afterEach(() => rmSync(dir, {recursive: true, force: true}));

  it('reads back what it wrote, leaves no temp file, and is private to the user', async () => {
    await writeTextAtomicAsync(file, JSON.stringify({version: 1, items: ['a']}));
    await writeTextAtomicAsync(file, JSON.stringify({version: 1, items: ['a', 'b']}));
    expect(readState(file, schema)).toEqual({status: 'loaded', state: {version: 1, items: ['a', 'b']}});
    expect(readdirSync(dir)).toEqual(['state.json']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is private to the user even when an earlier run of the same pid left its temp file readable by all', async () => {
    writeFileSync(`${file}.tmp-${process.pid}-async`, 'left by a run killed mid-write', {mode: 0o644});
    await writeTextAtomicAsync(file, JSON.stringify({version: 1, items: []}));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('says missing when there is no file yet', () => {
    expect(readState(file, schema)).toEqual({status: 'missing'});
  });

  it('moves a file that is not JSON aside and says why', () => {
    writeFileSync(file, '{"version":1,"items":[');
    const result = readState(file, schema, () => Date.UTC(2026, 0, 2, 3, 4, 5));
    expect(result).toMatchObject({status: 'corrupt', reason: expect.stringContaining('not valid JSON'), movedTo: `${file}.corrupt-2026-01-02T03-04-05-000Z`});
    expect(existsSync(file)).toBe(false);
    expect(readFileSync(`${file}.corrupt-2026-01-02T03-04-05-000Z`, 'utf8')).toBe('{"version":1,"items":[');
  });

  it('moves a file with unexpected content aside, naming the field', () => {
    writeFileSync(file, JSON.stringify({version: 1, items: [3]}));
    const result = readState(file, schema);
    expect(result.status).toBe('corrupt');
    expect(result.status === 'corrupt' && result.reason).toContain('items.0');
    expect(result.status === 'corrupt' && result.movedTo && existsSync(result.movedTo)).toBe(true);
  });

  it('reports an unreadable file instead of treating it as missing', () => {
    // A directory in the file's place is unreadable as a file, for root too.
    mkdirSync(file);
    expect(readState(file, schema)).toMatchObject({status: 'corrupt', reason: expect.stringContaining('cannot read it'), movedTo: expect.stringContaining('.corrupt-')});
  });
});
