// Keeps the bridge's state on disk at what it is worth: the small part that must survive a crash
// (incidents, mutes, outbox, slash tokens) soon after it changes, at most once per delay and only
// when its content changed; the result history rarely (every 15 min and at stop) in a file of its
// own, gzipped. Every write runs off the event loop (temp file, fsync, rename).
import type {OutboxLog} from '../outbox/outbox';
import type {HistoryFileEntry} from '../results/history-file';
import {historyFileSchema} from '../results/history-file';
import {promisify} from 'node:util';
import {gzip} from 'node:zlib';
import {describeError} from '../mm/errors';
import {loadBridgeState, type BridgeState, type LegacyResults, type LoadedParts} from './bridge-state';
import {readState, writeTextAtomicAsync} from './state-file';

export interface HistoryPort {
  encode(now: number): Promise<string>;
  restoreFile(entries: readonly HistoryFileEntry[]): void;
  restore(legacy: LegacyResults): void;
}

export interface StateStoreOptions {
  file: string;
  /** What must survive, without version and savedAt. */
  build: () => Omit<BridgeState, 'version' | 'savedAt'>;
  history?: HistoryPort;
  log: OutboxLog;
  now?: () => number;
  /** A change is written at most this long after it happened. */
  delayMs?: number;
  /** A change worth keeping but not alone worth a write (a tracker's state, the report ledger): later, with whatever comes. */
  lazyDelayMs?: number;
  historyEveryMs?: number;
}

const gzipAsync = promisify(gzip);

export const historyFileOf = (file: string) => `${file}.results`;

export class StateStore {
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private dueAt = 0;
  private historyTimer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private dirty = false;
  private lastBody: string | null = null;
  private stopped = false;
  /** Files written (state and history), which the store's test counts. */
  writes = 0;

  constructor(private readonly o: StateStoreOptions) {
    this.now = o.now ?? Date.now;
  }

  /** Reads the state back: parts that fail their check are left out with an error in the log. */
  load(): LoadedParts {
    const {file, log} = this.o;
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
    this.loadHistory(parts.results);
    return parts;
  }

  /**
   * Something worth keeping changed: written within delayMs (lazy: within lazyDelayMs, or sooner
   * with the next change that is not), unless its content is unchanged.
   */
  changed(lazy = false): void {
    this.dirty = true;
    if (this.stopped) return;
    const due = this.now() + (lazy ? (this.o.lazyDelayMs ?? 10_000) : (this.o.delayMs ?? 1_000));
    if (this.timer && this.dueAt <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = due;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.flush().catch((err: unknown) => this.o.log.error('state file could not be written', {file: this.o.file, error: describeError(err)}));
      },
      Math.max(0, due - this.now()),
    );
    this.timer.unref();
  }

  start(): void {
    if (!this.o.history) return;
    const every = this.o.historyEveryMs ?? 15 * 60_000;
    const loop = () => {
      // saveHistory() logs its own failures; whatever happens, the next save is armed.
      this.historyTimer = setTimeout(() => {
        this.saveHistory().then(loop, loop);
      }, every);
      this.historyTimer.unref();
    };
    loop();
  }

  /** Writes what changed now (after any write in flight). */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.writeMain());
    return this.chain;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.historyTimer) clearTimeout(this.historyTimer);
    this.timer = this.historyTimer = null;
    this.dirty = true;
    await this.flush();
    await this.saveHistory();
  }

  /** Writes the result history now (also on its own timer). */
  saveHistory(): Promise<void> {
    const history = this.o.history;
    if (!history) return Promise.resolve();
    this.chain = this.chain.then(async () => {
      try {
        // Gzipped on libuv's threads: a day of 50 targets is 6.7 MB of text, 2 MB or so packed.
        const packed = await gzipAsync(await history.encode(this.now()));
        await writeTextAtomicAsync(historyFileOf(this.o.file), packed);
        this.writes++;
      } catch (err) {
        this.o.log.error('the result history could not be written', {file: historyFileOf(this.o.file), error: describeError(err)});
      }
    });
    return this.chain;
  }

  private async writeMain(): Promise<void> {
    if (!this.dirty) return;
    this.dirty = false;
    const body = JSON.stringify(this.o.build());
    if (body === this.lastBody) return;
    const text = `{"version":1,"savedAt":${this.now()},${body.slice(1)}\n`;
    try {
      await writeTextAtomicAsync(this.o.file, text);
      this.lastBody = body;
      this.writes++;
    } catch (err) {
      this.dirty = true;
      this.o.log.error('state file could not be written', {file: this.o.file, error: describeError(err)});
    }
  }

  private loadHistory(legacy: LegacyResults | undefined): void {
    const {history, log} = this.o;
    if (!history) return;
    const file = historyFileOf(this.o.file);
    const loaded = readState(file, historyFileSchema, this.now);
    if (loaded.status === 'loaded') return history.restoreFile(loaded.state.entries as HistoryFileEntry[]);
    if (loaded.status === 'corrupt')
      log.warn(`result history ${file} could not be used: ${loaded.reason}; ${loaded.movedTo ? `kept aside as ${loaded.movedTo}` : 'left in place'}; the 24 h figures start again`, {file});
    // A state file from before the history had its own file.
    else if (legacy) history.restore(legacy);
  }
}
