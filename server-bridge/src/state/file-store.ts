// The state file as a store (the embedded default): the rows live in memory and every change set is
// one atomic write of the whole file (temp file, fsync, rename, fsync of the folder), so a change and
// the alerts it caused are on disk together or not at all. The format is the one older bridges wrote
// and read; theirs is read too.
import type {OutboxLog} from '../outbox/types';
import {loadBridgeState, type LoadedParts} from './bridge-state';
import {applyTo, partsOf, rowsOf, type BridgeStore, type ChangeSet, type Rows} from './bridge-store';
import {writeTextAtomicAsync} from './state-file';

export class FileStore implements BridgeStore {
  private rows: Rows = rowsOf({});
  /** Files written, which the tests count. */
  writes = 0;

  constructor(
    private readonly file: string,
    private readonly log: OutboxLog,
    private readonly now: () => number = Date.now,
  ) {}

  get where(): string {
    return this.file;
  }

  async load(): Promise<LoadedParts> {
    const {file, log} = this;
    const loaded = loadBridgeState(file, this.now);
    let parts: LoadedParts = {};
    if (loaded.status === 'corrupt') {
      log.error(`state file ${file} could not be used: ${loaded.reason}; ${loaded.movedTo ? `kept aside as ${loaded.movedTo}` : 'left in place'}; starting with an empty state`, {
        file,
        movedTo: loaded.movedTo,
      });
    } else if (loaded.status === 'loaded') {
      parts = loaded.parts;
      for (const problem of loaded.problems) {
        log.error(`state file ${file}: a part could not be used and starts empty: ${problem}; ${loaded.copiedTo ? `the file is kept as ${loaded.copiedTo}` : 'copying the file aside failed'}`, {
          file,
          copiedTo: loaded.copiedTo,
        });
      }
    }
    this.rows = rowsOf(parts);
    return parts;
  }

  async apply(changes: ChangeSet): Promise<void> {
    // Upserts and removes are idempotent: a write that fails leaves the mirror ahead, and the same change set comes again.
    applyTo(this.rows, changes);
    const {incidents, outbox, reports, slo} = partsOf(this.rows);
    const text = `${JSON.stringify({version: 1, savedAt: this.now(), incidents, outbox, reports, slo})}\n`;
    await writeTextAtomicAsync(this.file, text);
    this.writes++;
  }

  async close(): Promise<void> {}
}
