// Keeps the bridge's state in its store at what it is worth: what changed since the last write,
// as one change set (rows written and removed), soon after a change (a lazy one, such as a tracker's
// state, later), and at once when the outbox is about to send (durable(): write-ahead). A write that
// fails is tried again until it succeeds. The result history is saved rarely (every 15 min and at
// stop), gzipped, off the event loop: in a file of its own, or in the PostgreSQL store's row of this
// bridge when there is one.
import type {OutboxLog} from '../outbox/types';
import type {HistoryFileEntry} from '../results/history-file';
import {historyFileSchema} from '../results/history-file';
import {promisify} from 'node:util';
import {gzip} from 'node:zlib';
import {describeError} from '../mm/errors';
import type {LegacyResults, LoadedParts} from './bridge-state';
import {diffRows, rowsOf, textsOf, type BridgeStore, type DurableParts, type RowTexts} from './bridge-store';
import {FileStore} from './file-store';
import {decodeState, readState, writeTextAtomicAsync} from './state-file';

export interface HistoryPort {
  encode(now: number): Promise<string>;
  /** The file already gzipped, piece by piece (long histories: no file-sized string on the event loop). */
  encodePacked?(now: number): Promise<Buffer>;
  restoreFile(entries: readonly HistoryFileEntry[]): void;
  restore(legacy: LegacyResults): void;
}

/** Where the history's bytes (the gzipped history file) are kept other than a file: this bridge's row of a database. */
export interface HistoryBytes {
  readonly where: string;
  /** null: nothing saved yet. */
  load(): Promise<Buffer | null>;
  save(bytes: Buffer): Promise<void>;
}

export interface StateStoreOptions {
  /** The state file (a FileStore on it), unless a store is given. */
  file?: string;
  store?: BridgeStore;
  /** What must survive, as the parts snapshot it now. */
  build: () => DurableParts;
  history?: HistoryPort;
  /** The history's own file (default: the state file's name + .results). */
  historyFile?: string;
  /** The history in a database instead (several bridges); the file, when there is one, is read only while the database has none. */
  historyStore?: HistoryBytes;
  log: OutboxLog;
  now?: () => number;
  /** A change is written at most this long after it happened. */
  delayMs?: number;
  /** A change worth keeping but not alone worth a write (a tracker's state, the report ledger): later, with whatever comes. */
  lazyDelayMs?: number;
  historyEveryMs?: number;
  /** A failed write is tried again after this, doubling up to a minute. */
  retryMs?: number;
  /** False while this bridge may not write the shared state (several bridges: not the leader); changes wait. */
  writable?: () => boolean;
}

const gzipAsync = promisify(gzip);

export const historyFileOf = (file: string) => `${file}.results`;

export class StateStore {
  readonly store: BridgeStore;
  private readonly now: () => number;
  private readonly historyFile: string | null;
  private timer: NodeJS.Timeout | null = null;
  private dueAt = 0;
  private historyTimer: NodeJS.Timeout | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private committed: RowTexts = textsOf(rowsOf({}));
  private stopped = false;
  private failures = 0;
  private historyWrites = 0;

  constructor(private readonly o: StateStoreOptions) {
    this.now = o.now ?? Date.now;
    if (!o.store && !o.file) throw new Error('StateStore needs a store or a file');
    this.store = o.store ?? new FileStore(o.file as string, o.log, this.now);
    this.historyFile = o.historyFile ?? (o.file ? historyFileOf(o.file) : null);
  }

  /** Writes made (state and history), which the tests count. */
  get writes(): number {
    return ((this.store as Partial<FileStore>).writes ?? 0) + this.historyWrites;
  }

  /** Reads the state back (parts that fail their check are left out with an error in the log), and the history. */
  async load(): Promise<LoadedParts> {
    const parts = await this.store.load();
    this.committed = textsOf(rowsOf(parts));
    await this.loadHistory(parts.results);
    return parts;
  }

  /**
   * Something worth keeping changed: written within delayMs (lazy: within lazyDelayMs, or sooner
   * with the next change that is not), unless its content is unchanged.
   */
  changed(lazy = false): void {
    if (this.stopped) return;
    this.arm(lazy ? (this.o.lazyDelayMs ?? 10_000) : (this.o.delayMs ?? 1_000));
  }

  /** Every change made so far, written now: resolves once it is durable, rejects when the write failed (retried later). */
  durable(): Promise<void> {
    const write = this.chain.then(() => this.commit());
    this.chain = write.catch(() => undefined);
    return write;
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

  /** Writes what changed now (after any write in flight); a failure is logged and retried, never thrown. */
  flush(): Promise<void> {
    return this.durable().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.historyTimer) clearTimeout(this.historyTimer);
    this.timer = this.historyTimer = null;
    await this.flush();
    await this.saveHistory();
    await this.store.close();
  }

  /** Writes the result history now (also on its own timer). */
  saveHistory(): Promise<void> {
    const {history, historyStore} = this.o;
    const file = this.historyFile;
    if (!history || (!file && !historyStore)) return Promise.resolve();
    const save = this.chain.then(async () => {
      try {
        // Gzipped on libuv's threads: a day of 50 targets is 6.7 MB of text, 2 MB or so packed.
        const packed = history.encodePacked ? await history.encodePacked(this.now()) : await gzipAsync(await history.encode(this.now()));
        if (historyStore) await historyStore.save(packed);
        else await writeTextAtomicAsync(file as string, packed);
        this.historyWrites++;
      } catch (err) {
        this.o.log.error('the result history could not be written', {where: historyStore?.where ?? file, error: describeError(err)});
      }
    });
    this.chain = save;
    return save;
  }

  private arm(delayMs: number): void {
    const due = this.now() + delayMs;
    if (this.timer && this.dueAt <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.dueAt = due;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.flush().catch(() => undefined);
      },
      Math.max(0, due - this.now()),
    );
    this.timer.unref();
  }

  /** What the store holds now is what this bridge holds (just loaded again): the next change set starts from it. */
  rebase(parts: LoadedParts): void {
    this.committed = textsOf(rowsOf(parts));
  }

  /** One change set: the rows that differ from the last one applied. */
  private async commit(): Promise<void> {
    if (this.o.writable && !this.o.writable()) throw new Error('this bridge may not write the shared state now (not the leader)');
    const rows = rowsOf(this.o.build());
    const texts = textsOf(rows);
    const changes = diffRows(this.committed, texts, rows);
    if (!changes) return;
    try {
      await this.store.apply(changes);
      this.committed = texts;
      this.failures = 0;
    } catch (err) {
      this.failures++;
      // Nothing is lost: the next change set holds these rows again. Tried again until it works.
      const retryMs = Math.min(60_000, (this.o.retryMs ?? 1_000) * 2 ** Math.min(this.failures - 1, 10));
      this.o.log.error('the state could not be written; posts wait until it is', {where: this.store.where, error: describeError(err), retryInMs: retryMs});
      if (!this.stopped) this.arm(retryMs);
      throw err;
    }
  }

  private async loadHistory(legacy: LegacyResults | undefined): Promise<void> {
    const {history, historyStore, log} = this.o;
    if (history && historyStore && (await this.loadHistoryFrom(historyStore, history))) return;
    const file = this.historyFile;
    if (!history || !file) return;
    const loaded = readState(file, historyFileSchema, this.now);
    if (loaded.status === 'loaded') return history.restoreFile(loaded.state.entries as HistoryFileEntry[]);
    if (loaded.status === 'corrupt')
      log.warn(`result history ${file} could not be used: ${loaded.reason}; ${loaded.movedTo ? `kept aside as ${loaded.movedTo}` : 'left in place'}; the 24 h figures start again`, {file});
    // A state file from before the history had its own file.
    else if (legacy) history.restore(legacy);
  }

  /** True when the store held a history (used, or warned about and started empty); false when it holds none yet. */
  private async loadHistoryFrom(store: HistoryBytes, history: HistoryPort): Promise<boolean> {
    let bytes: Buffer | null;
    try {
      bytes = await store.load();
    } catch (err) {
      this.o.log.warn('the result history could not be read; the 24 h figures start again', {where: store.where, error: describeError(err)});
      return true;
    }
    if (bytes === null) return false;
    const decoded = decodeState(bytes, historyFileSchema);
    if (decoded.ok) history.restoreFile(decoded.state.entries as HistoryFileEntry[]);
    // Replaced by the next save; the bridge goes on without it.
    else this.o.log.warn(`the result history in ${store.where} could not be used: ${decoded.reason}; the 24 h figures start again`, {where: store.where});
    return true;
  }
}
