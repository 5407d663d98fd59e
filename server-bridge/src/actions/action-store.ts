// The key of the buttons' tokens and the clicks already taken, in <state file>.actions (mode 0600,
// written atomically): buttons of open incidents keep working after a restart and a click is not
// taken twice across one. The key comes from HEALTHCHECK_ACTION_SECRET when set.
import {randomBytes} from 'node:crypto';
import {chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import {ReplayGuard} from './replay-guard';

const fileSchema = z.object({key: z.string().min(43).optional(), seen: z.array(z.object({id: z.string(), until: z.number()}))});

export interface ActionStoreOptions {
  /** <state file>.actions; null: kept in memory only (a restart makes older buttons invalid). */
  file: string | null;
  /** A key from the configuration wins over the file's. */
  configuredKey?: string;
  log: {warn(msg: string, f?: Record<string, unknown>): void};
}

export class ActionStore {
  readonly key: Buffer;
  readonly replays: ReplayGuard;

  constructor(private readonly o: ActionStoreOptions) {
    const saved = o.file ? read(o.file, o.log) : null;
    this.key = o.configuredKey ? Buffer.from(o.configuredKey, 'utf8') : saved?.key ? Buffer.from(saved.key, 'base64url') : randomBytes(32);
    this.replays = new ReplayGuard(saved?.seen ?? []);
    if (!o.file && !o.configuredKey)
      o.log.warn('incident buttons: neither HEALTHCHECK_STATE_FILE nor HEALTHCHECK_ACTION_SECRET is set; buttons of earlier posts stop working when the bridge restarts');
    if (!saved?.key && !o.configuredKey) this.save(Date.now());
  }

  /** Written after every accepted click (rare), before the answer goes back. */
  save(now: number): void {
    const file = this.o.file;
    if (!file) return;
    // A configured key stays in the configuration only.
    const text = JSON.stringify({...(this.o.configuredKey ? {} : {key: this.key.toString('base64url')}), seen: this.replays.entries(now)});
    // A folder made here is the bridge's alone; a temp file left by an earlier run keeps its mode on open, so it is set again.
    mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
    writeFileSync(`${file}.tmp`, text, {mode: 0o600});
    chmodSync(`${file}.tmp`, 0o600);
    renameSync(`${file}.tmp`, file);
  }
}

function read(file: string, log: ActionStoreOptions['log']): z.infer<typeof fileSchema> | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as {code?: string}).code !== 'ENOENT') log.warn('incident buttons: cannot read the actions file; starting with a new key', {file, error: String(err)});
    return null;
  }
  try {
    return fileSchema.parse(JSON.parse(text));
  } catch {
    log.warn('incident buttons: the actions file is not valid; starting with a new key (buttons of earlier posts stop working)', {file});
    return null;
  }
}
