// The result history on disk: per probe+target, columns (time deltas, durations to 0.1 ms, ok
// bits) instead of one object per run, about 10 bytes a run, and the hourly rollups of 90 days as
// base64 columns (rollup.ts); encoded entry by entry with a yield to the event loop in between, so
// 50 targets never stall it. Version 2 files (no rollups) still read.
import {once} from 'node:events';
import {setImmediate as yieldToLoop} from 'node:timers/promises';
import {createGzip} from 'node:zlib';
import * as z from 'zod';
import type {ProbeResult} from '../probes/types';
import type {HourlyRollup, RollupFile} from './rollup';
import type {SampleWindow} from './samples';

export const HISTORY_FILE_VERSION = 3;

export interface HistoryFileEntry {
  probe: string;
  target: string;
  latest: ProbeResult;
  lastFailure: {at: number; reason: string} | null;
  /** Start of the first run; dt[i] is the time from run i−1 (dt[0] = 0). */
  t0: number;
  dt: number[];
  ms: number[];
  /** "1" ok, "0" failed, one character a run. */
  ok: string;
  /** Hourly rollups (version 3 on). */
  rollup?: RollupFile;
}

export interface EntrySource {
  probe: string;
  target: string;
  latest: ProbeResult;
  lastFailure: {at: number; reason: string} | null;
  window: SampleWindow;
  rollup?: HourlyRollup;
}

const num = z.number();
// The run columns are checked where they lie: z.array would copy them, 1.6 million numbers for a
// day of 50 targets, while the bridge starts (JSON holds no NaN or Infinity for z.number to refuse).
const numbers = z.custom<number[]>((v) => Array.isArray(v) && v.every((n) => typeof n === 'number'), {message: 'expected an array of numbers'});
// Not matched against a pattern (megabytes of it): damage shows as columns of different lengths.
const base64 = z.string();
const rollupSchema = z.object({
  h0: num,
  runs: base64,
  fail: base64,
  slow: base64,
  obs: base64,
  nh: base64,
  hist: base64,
  open: z.array(num),
  big: z.array(num).optional(),
  last: num.nullable(),
});
const entrySchema = z
  .object({
    probe: z.string(),
    target: z.string(),
    latest: z.looseObject({
      probe: z.string(),
      target: z.string(),
      ok: z.boolean(),
      durationMs: num,
      startedAt: num,
      checks: z.array(z.looseObject({label: z.string(), ok: z.boolean(), observed: z.string(), expected: z.string()})),
    }),
    lastFailure: z.object({at: num, reason: z.string()}).nullable(),
    t0: num,
    dt: numbers,
    ms: numbers,
    ok: z.string().regex(/^[01]*$/),
    rollup: rollupSchema.optional(),
  })
  .refine((e) => e.dt.length === e.ms.length && e.ms.length === e.ok.length, {message: 'columns of different lengths'});
export const historyFileSchema = z.object({version: z.union([z.literal(2), z.literal(HISTORY_FILE_VERSION)]), entries: z.array(entrySchema)});

export function encodeEntry(e: EntrySource): string {
  // Sized once (a day of 30 s runs is 2,880), and the ok bits as bytes: growing arrays and a string
  // built a character at a time were most of the garbage a save made.
  const n = e.window.size;
  const dt = new Array<number>(n);
  const ms = new Array<number>(n);
  const ok = Buffer.allocUnsafe(n);
  let i = 0;
  let t0 = 0;
  let previous = 0;
  e.window.forEach((at, good, durationMs) => {
    if (i === 0) t0 = previous = at;
    dt[i] = Math.round(at - previous);
    previous = at;
    ms[i] = Math.round(durationMs * 10) / 10;
    ok[i++] = good ? 0x31 : 0x30;
  });
  const entry: HistoryFileEntry = {
    probe: e.probe,
    target: e.target,
    latest: e.latest,
    lastFailure: e.lastFailure,
    t0,
    dt,
    ms,
    ok: ok.toString('latin1', 0, n),
    ...(e.rollup ? {rollup: e.rollup.toFile()} : {}),
  };
  return JSON.stringify(entry);
}

/**
 * How long one slice of encoding runs before it yields. A slice ends after the entry that passes it,
 * and an entry of 90 days takes 0.3 ms (up to 2.5 with a young-generation collection in it): 1.5 ms
 * keeps a turn well under the 5 ms the event loop may be held (at 4 ms, turns of 5-6 ms were common).
 */
export const SLICE_MS = 1.5;

/** The whole file's text, yielding to the event loop after every few entries. */
export async function encodeHistoryFile(entries: Iterable<EntrySource>, budgetMs = SLICE_MS): Promise<string> {
  const parts: string[] = [];
  let sliceStart = performance.now();
  for (const e of entries) {
    parts.push(encodeEntry(e));
    if (performance.now() - sliceStart > budgetMs) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
  return `{"version":${HISTORY_FILE_VERSION},"entries":[${parts.join(',')}]}\n`;
}

/**
 * The whole file gzipped as it is encoded: each entry goes to zlib (on libuv's threads) on its own,
 * so neither a file-sized string nor its conversion ever holds the event loop (90 days of 50
 * targets are some 35 MB of text).
 */
export async function encodeHistoryFileGzip(entries: Iterable<EntrySource>, budgetMs = SLICE_MS): Promise<Buffer> {
  const zip = createGzip({level: 6});
  const chunks: Buffer[] = [];
  zip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = once(zip, 'end');
  const write = async (text: string) => {
    if (!zip.write(text)) await once(zip, 'drain');
  };
  await write(`{"version":${HISTORY_FILE_VERSION},"entries":[`);
  let first = true;
  let sliceStart = performance.now();
  for (const e of entries) {
    await write((first ? '' : ',') + encodeEntry(e));
    first = false;
    if (performance.now() - sliceStart > budgetMs) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
  zip.end(']}\n');
  await ended;
  return Buffer.concat(chunks);
}

/** The runs of one entry back as (at, ok, durationMs). */
export function decodeRuns(e: HistoryFileEntry, push: (at: number, ok: boolean, durationMs: number) => void): void {
  let at = e.t0;
  for (let i = 0; i < e.dt.length; i++) {
    at += e.dt[i] as number;
    push(at, e.ok[i] === '1', e.ms[i] as number);
  }
}
