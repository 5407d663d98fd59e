// Hourly rollups of one probe+target for 90 days and more: per hour the runs, the failures, the
// successful runs over the latency threshold, the time observed, and a sparse log-bucket histogram
// of the successful runs' latency (mergeable, so p50/p95/p99 over any span). Column arrays, about
// 13 bytes an hour (failures and slow runs a byte each, the rare hour above 254 in a side map):
// 50 targets × 11 probes × 91 days stay near 16 MB.
export const HOUR_MS = 3_600_000;
/** 90 full days in any time zone, and the hour in progress. */
export const ROLLUP_KEEP_HOURS = 91 * 24;
/** Buckets grow by 25 %: a quantile read from them is within 12 % of the true value. */
export const BUCKET_FACTOR = 1.25;
export const BUCKETS = 64;
/** The time observed is kept in steps of 15 s (an hour is 240 steps: one byte). */
const OBSERVED_STEP_MS = 15_000;
/** A histogram entry: bucket (6 bits) and count (10 bits); a fuller bucket takes more entries. */
const COUNT_MAX = 1023;
const U16_MAX = 65_535;
const LOG_FACTOR = Math.log(BUCKET_FACTOR);

/** Bucket 0 holds runs under 1 ms; bucket i ≥ 1 holds [1.25^(i−1), 1.25^i) ms. */
export function bucketOf(ms: number): number {
  if (!(ms >= 1)) return 0;
  return Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(ms) / LOG_FACTOR + 1e-9));
}

/** The value a bucket stands for: its geometric middle. */
export function bucketValue(bucket: number): number {
  if (bucket <= 0) return 0.5;
  return Math.pow(BUCKET_FACTOR, bucket - 0.5);
}

/** The upper bound of a bucket (runs in it took less). */
export const bucketUpper = (bucket: number) => (bucket <= 0 ? 1 : Math.pow(BUCKET_FACTOR, bucket));

export interface HourTotals {
  runs: number;
  failures: number;
  /** Successful runs slower than the threshold the rollup was given. */
  slow: number;
  observedMs: number;
}

export interface RollupFile {
  /** Absolute hour (ms / 3,600,000) of the first slot. */
  h0: number;
  /** base64 of the columns' little-endian bytes, one value a slot. */
  runs: string;
  fail: string;
  /** Hours whose failures or slow runs passed 254: [absolute hour, failures, slow] each. */
  big?: number[];
  slow: string;
  obs: string;
  nh: string;
  /** The closed hours' histogram entries, in slot order. */
  hist: string;
  /** The hour in progress: its histogram as [bucket, count] pairs. */
  open: number[];
  /** The last run's start (what the next run's observed time is measured from). */
  last: number | null;
}

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** base64 decoded straight into an array of `capacity` values (no intermediate copies); its length in values. */
function decodeInto<T extends Uint8Array<ArrayBuffer> | Uint16Array<ArrayBuffer>>(text: string, make: (buf: ArrayBuffer) => T, bytesPer: number, extra: number): {array: T; length: number} {
  const bytes = Buffer.byteLength(text, 'base64');
  const length = Math.floor(bytes / bytesPer);
  const buffer = new ArrayBuffer((length + extra) * bytesPer);
  const written = Buffer.from(buffer).write(text, 'base64');
  return {array: make(buffer), length: written === bytes ? length : -1};
}
const u16Of = (text: string, extra: number) => decodeInto(text, (b) => new Uint16Array(b), 2, extra);
const u8Of = (text: string, extra: number) => decodeInto(text, (b) => new Uint8Array(b), 1, extra);

export class HourlyRollup {
  private h0 = 0;
  private len = 0;
  private runs = new Uint16Array(32);
  private fail = new Uint8Array(32);
  private slowRuns = new Uint8Array(32);
  /** Counts above 254 by absolute hour (255 in the column means: look here). */
  private big = new Map<number, {fail: number; slow: number}>();
  private obs = new Uint8Array(32);
  private nh = new Uint8Array(32);
  private hist = new Uint16Array(64);
  private histLen = 0;
  /** The newest slot's histogram, dense until the hour closes. */
  private open = new Uint32Array(BUCKETS);
  private obsCarryMs = 0;
  private lastAt: number | null = null;

  /**
   * One run. coverMaxMs: the longest gap since the previous run still counted as observed (a bridge
   * that was down observed nothing: its gap is not counted, as up or as down).
   */
  add(at: number, ok: boolean, durationMs: number, slow: boolean, coverMaxMs: number): void {
    const hour = Math.floor(at / HOUR_MS);
    // A longer gap than coverMaxMs was not watched: none of it counts.
    const covered = this.lastAt === null || at < this.lastAt || at - this.lastAt > coverMaxMs ? 0 : at - this.lastAt;
    if (this.lastAt === null || at > this.lastAt) this.lastAt = at;
    const i = this.slotFor(hour);
    if (i < 0) return;
    this.runs[i] = Math.min(U16_MAX, (this.runs[i] as number) + 1);
    if (!ok) this.bump(this.fail, i, 'fail');
    else if (slow) this.bump(this.slowRuns, i, 'slow');
    if (i === this.len - 1) {
      if (ok) (this.open[bucketOf(durationMs)] as number)++;
      const total = this.obsCarryMs + covered;
      const steps = Math.floor(total / OBSERVED_STEP_MS);
      this.obsCarryMs = total - steps * OBSERVED_STEP_MS;
      this.obs[i] = Math.min(HOUR_MS / OBSERVED_STEP_MS, (this.obs[i] as number) + steps);
    }
  }

  private bump(col: Uint8Array, i: number, which: 'fail' | 'slow'): void {
    const v = col[i] as number;
    if (v < 254) {
      col[i] = v + 1;
      return;
    }
    const hour = this.h0 + i;
    const entry = this.big.get(hour) ?? {fail: this.fail[i] === 255 ? 0 : (this.fail[i] as number), slow: this.slowRuns[i] === 255 ? 0 : (this.slowRuns[i] as number)};
    if (v === 254) entry[which] = 254;
    entry[which] = Math.min(U16_MAX, entry[which] + 1);
    col[i] = 255;
    this.big.set(hour, entry);
  }

  private count(col: Uint8Array, i: number, which: 'fail' | 'slow'): number {
    const v = col[i] as number;
    return v === 255 ? (this.big.get(this.h0 + i)?.[which] ?? 255) : v;
  }

  /** Drops hours before keepHours ago (in steps of a day, so the copy is rare). */
  prune(now: number, keepHours = ROLLUP_KEEP_HOURS): void {
    const cutoff = Math.floor(now / HOUR_MS) - keepHours + 1;
    if (this.len === 0 || cutoff - this.h0 < 24) return;
    const drop = Math.min(this.len, cutoff - this.h0);
    if (drop >= this.len) {
      // Everything kept is older than the window, the open hour too.
      this.len = 0;
      this.histLen = 0;
      this.open.fill(0);
      this.obsCarryMs = 0;
      return;
    }
    let entries = 0;
    for (let i = 0; i < drop; i++) entries += this.nh[i] as number;
    for (const col of [this.runs, this.fail, this.slowRuns, this.obs, this.nh]) col.copyWithin(0, drop, this.len);
    this.hist.copyWithin(0, entries, this.histLen);
    this.histLen -= entries;
    this.len -= drop;
    this.h0 += drop;
    for (const hour of this.big.keys()) if (hour < this.h0) this.big.delete(hour);
  }

  get hours(): number {
    return this.len;
  }

  get firstHour(): number | null {
    return this.len === 0 ? null : this.h0;
  }

  /** Bytes held by the columns (for the benchmark). */
  get bytes(): number {
    return this.runs.byteLength + this.fail.byteLength * 4 + this.hist.byteLength + this.open.byteLength;
  }

  /** Each hour with runs in [fromHour, toHour] (absolute hours), in order. */
  forEachHour(fromHour: number, toHour: number, fn: (hour: number, t: HourTotals) => void): void {
    const from = Math.max(0, fromHour - this.h0);
    const to = Math.min(this.len - 1, toHour - this.h0);
    for (let i = from; i <= to; i++) {
      if (this.runs[i] === 0) continue;
      fn(this.h0 + i, {runs: this.runs[i] as number, failures: this.count(this.fail, i, 'fail'), slow: this.count(this.slowRuns, i, 'slow'), observedMs: (this.obs[i] as number) * OBSERVED_STEP_MS});
    }
  }

  /** Totals over [fromHour, toHour]. */
  totals(fromHour: number, toHour: number): HourTotals {
    const t: HourTotals = {runs: 0, failures: 0, slow: 0, observedMs: 0};
    this.forEachHour(fromHour, toHour, (_, h) => {
      t.runs += h.runs;
      t.failures += h.failures;
      t.slow += h.slow;
      t.observedMs += h.observedMs;
    });
    return t;
  }

  /** The merged latency histogram of [fromHour, toHour] (successful runs), one count a bucket. */
  histogram(fromHour: number, toHour: number, into = new Float64Array(BUCKETS)): Float64Array {
    const from = Math.max(0, fromHour - this.h0);
    const to = Math.min(this.len - 1, toHour - this.h0);
    let e = 0;
    for (let i = 0; i < this.len && i <= to; i++) {
      const n = this.nh[i] as number;
      if (i >= from && i < this.len - 1) {
        for (let k = e; k < e + n; k++) {
          const v = this.hist[k] as number;
          (into[v >>> 10] as number) += v & COUNT_MAX;
        }
      }
      e += n;
    }
    if (this.len > 0 && to === this.len - 1 && from <= to) for (let b = 0; b < BUCKETS; b++) (into[b] as number) += this.open[b] as number;
    return into;
  }

  /** Quantiles (q in [0, 1]) of the successful runs' latency in [fromHour, toHour]; null without runs. */
  quantiles(fromHour: number, toHour: number, qs: readonly number[]): (number | null)[] {
    return quantilesOf(this.histogram(fromHour, toHour), qs);
  }

  toFile(): RollupFile {
    const open: number[] = [];
    for (let b = 0; b < BUCKETS; b++) if (this.open[b]) open.push(b, this.open[b] as number);
    return {
      h0: this.h0,
      runs: b64(this.runs.subarray(0, this.len)),
      fail: b64(this.fail.subarray(0, this.len)),
      slow: b64(this.slowRuns.subarray(0, this.len)),
      ...(this.big.size ? {big: [...this.big].flatMap(([hour, v]) => [hour, v.fail, v.slow])} : {}),
      obs: b64(this.obs.subarray(0, this.len)),
      nh: b64(this.nh.subarray(0, this.len)),
      hist: b64(this.hist.subarray(0, this.histLen)),
      open,
      last: this.lastAt,
    };
  }

  /** A rollup read back; null when its columns disagree (the caller starts it again). */
  static fromFile(f: RollupFile): HourlyRollup | null {
    const r = new HourlyRollup();
    const runs = u16Of(f.runs, 32);
    const fail = u8Of(f.fail, 32);
    const slow = u8Of(f.slow, 32);
    const obs = u8Of(f.obs, 32);
    const nh = u8Of(f.nh, 32);
    const hist = u16Of(f.hist, 64);
    if (runs.length < 0 || [fail, slow, obs, nh].some((c) => c.length !== runs.length)) return null;
    let entries = 0;
    for (let i = 0; i < nh.length; i++) entries += nh.array[i] as number;
    if (entries !== hist.length) return null;
    r.h0 = f.h0;
    r.len = runs.length;
    r.runs = runs.array;
    r.fail = fail.array;
    r.slowRuns = slow.array;
    r.obs = obs.array;
    r.nh = nh.array;
    r.hist = hist.array;
    r.histLen = hist.length;
    for (let k = 0; k + 1 < f.open.length; k += 2) {
      const b = f.open[k] as number;
      if (Number.isInteger(b) && b >= 0 && b < BUCKETS) r.open[b] = f.open[k + 1] as number;
    }
    r.lastAt = f.last;
    for (let k = 0; k + 2 < (f.big?.length ?? 0); k += 3) r.big.set(f.big?.[k] as number, {fail: f.big?.[k + 1] as number, slow: f.big?.[k + 2] as number});
    return r;
  }

  /** The slot of an hour: a later hour closes the open one; an hour before the kept ones is -1. */
  private slotFor(hour: number): number {
    if (this.len === 0) {
      this.h0 = hour;
      this.len = 1;
      this.ensure(1);
      this.clearSlot(0);
      return 0;
    }
    const i = hour - this.h0;
    if (i < 0) return -1;
    if (i < this.len) return i;
    this.closeOpen();
    this.ensure(i + 1);
    for (let k = this.len; k <= i; k++) this.clearSlot(k);
    this.len = i + 1;
    this.obsCarryMs = 0;
    return i;
  }

  private clearSlot(i: number): void {
    this.runs[i] = this.fail[i] = this.slowRuns[i] = this.obs[i] = this.nh[i] = 0;
    this.big.delete(this.h0 + i);
  }

  /** The open hour's histogram into the entries. */
  private closeOpen(): void {
    let n = 0;
    for (let b = 0; b < BUCKETS; b++) {
      let count = this.open[b] as number;
      while (count > 0) {
        const part = Math.min(COUNT_MAX, count);
        if (this.histLen === this.hist.length) this.hist = grown(this.hist, Math.ceil(this.hist.length * (this.len > 256 ? 1.125 : 2)));
        this.hist[this.histLen++] = (b << 10) | part;
        count -= part;
        n++;
      }
    }
    this.nh[this.len - 1] = Math.min(255, n);
    this.open.fill(0);
  }

  private ensure(slots: number): void {
    if (slots <= this.runs.length) return;
    // Doubling, but never past what pruning keeps: a full series holds no spare half.
    const size = Math.max(slots, Math.min(this.runs.length * 2, ROLLUP_KEEP_HOURS + 25));
    this.runs = grown(this.runs, size);
    this.fail = grown(this.fail, size);
    this.slowRuns = grown(this.slowRuns, size);
    this.obs = grown(this.obs, size);
    this.nh = grown(this.nh, size);
  }
}

function grown<T extends Uint8Array<ArrayBuffer> | Uint16Array<ArrayBuffer>>(a: T, size: number): T {
  const out = new (a.constructor as new (n: number) => T)(size);
  out.set(a.subarray(0, Math.min(a.length, size)));
  return out;
}

/** Quantiles from a histogram: the middle of the bucket that holds the q-th run. */
export function quantilesOf(hist: ArrayLike<number>, qs: readonly number[]): (number | null)[] {
  let total = 0;
  for (let b = 0; b < hist.length; b++) total += hist[b] as number;
  if (total === 0) return qs.map(() => null);
  return qs.map((q) => {
    const rank = Math.max(1, Math.ceil(q * total));
    let seen = 0;
    for (let b = 0; b < hist.length; b++) {
      seen += hist[b] as number;
      if (seen >= rank) return Math.round(bucketValue(b) * 10) / 10;
    }
    return Math.round(bucketValue(hist.length - 1) * 10) / 10;
  });
}
