// The runs of one probe+target inside a time window, kept compactly (typed arrays, amortised
// pruning): a day at 60 s is 1,440 runs, and a bridge may watch many targets.
export interface Sample {
  at: number;
  ok: boolean;
  durationMs: number;
}

export class SampleWindow {
  private at = new Float64Array(64);
  private ms = new Float32Array(64);
  private ok = new Uint8Array(64);
  private head = 0;
  private tail = 0;
  /** Failed runs inside the window, kept as samples come and go: uptime without a pass over the window. */
  private failed = 0;

  constructor(readonly windowMs: number) {}

  get size(): number {
    return this.tail - this.head;
  }

  get failures(): number {
    return this.failed;
  }

  push(sample: Sample): void {
    if (this.tail === this.at.length) this.compact();
    this.at[this.tail] = sample.at;
    this.ms[this.tail] = sample.durationMs;
    this.ok[this.tail] = sample.ok ? 1 : 0;
    if (!sample.ok) this.failed++;
    this.tail++;
  }

  /** Drops samples older than the window before `now`. */
  prune(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.head < this.tail && (this.at[this.head] as number) < cutoff) {
      if (this.ok[this.head] === 0) this.failed--;
      this.head++;
    }
  }

  forEach(fn: (at: number, ok: boolean, durationMs: number) => void): void {
    this.forEachFrom(this.head, fn);
  }

  /** Runs, failures and the sorted durations of the successful runs, read straight from the arrays. */
  summary(): {runs: number; failures: number; okDurations: Float32Array} {
    const runs = this.tail - this.head;
    let failures = 0;
    for (let i = this.head; i < this.tail; i++) if (this.ok[i] === 0) failures++;
    const okDurations = new Float32Array(runs - failures);
    for (let i = this.head, j = 0; i < this.tail; i++) if (this.ok[i] === 1) okDurations[j++] = this.ms[i] as number;
    return {runs, failures, okDurations: okDurations.sort()};
  }

  /** The samples at or after `since` (runs are recorded about in order: found by bisection, with a margin). */
  forEachSince(since: number, fn: (at: number, ok: boolean, durationMs: number) => void, marginMs = 300_000): void {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.at[mid] as number) < since - marginMs) lo = mid + 1;
      else hi = mid;
    }
    this.forEachFrom(lo, (at, ok, ms) => {
      if (at >= since) fn(at, ok, ms);
    });
  }

  private forEachFrom(from: number, fn: (at: number, ok: boolean, durationMs: number) => void): void {
    for (let i = from; i < this.tail; i++) fn(this.at[i] as number, this.ok[i] === 1, this.ms[i] as number);
  }

  toArray(): Sample[] {
    const out: Sample[] = [];
    this.forEach((at, ok, durationMs) => out.push({at, ok, durationMs}));
    return out;
  }

  /**
   * Moves live samples to the front of arrays a quarter larger than what is live (64 more at least):
   * a day at 60 s is 1,440 runs in 1,800 slots, moved every 6 h. Doubling whenever more than half was
   * live ended at 4,096 slots (53 KB a window, 2.8 times the runs; 26 MB at 50 targets).
   */
  private compact(): void {
    const live = this.size;
    const capacity = live + Math.max(64, live >> 2);
    if (capacity === this.at.length) {
      this.at.copyWithin(0, this.head, this.tail);
      this.ms.copyWithin(0, this.head, this.tail);
      this.ok.copyWithin(0, this.head, this.tail);
    } else {
      const at = new Float64Array(capacity);
      const ms = new Float32Array(capacity);
      const ok = new Uint8Array(capacity);
      at.set(this.at.subarray(this.head, this.tail));
      ms.set(this.ms.subarray(this.head, this.tail));
      ok.set(this.ok.subarray(this.head, this.tail));
      this.at = at;
      this.ms = ms;
      this.ok = ok;
    }
    this.head = 0;
    this.tail = live;
  }

  /** Slots held (for the memory test). */
  get capacity(): number {
    return this.at.length;
  }
}
