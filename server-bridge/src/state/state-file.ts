// The bridge's state file: written atomically (temp file, fsync, rename, fsync of the directory),
// read at start; a corrupt or unreadable file is reported and moved aside, never silently dropped.
import {copyFileSync, readFileSync, renameSync} from 'node:fs';
import {mkdir, open, rename} from 'node:fs/promises';
import path from 'node:path';
import {gunzipSync} from 'node:zlib';
import {describeError} from '../mm/errors';

export interface Validator<T> {
  safeParse(data: unknown): {success: true; data: T} | {success: false; error: {issues: readonly {path: readonly PropertyKey[]; message: string}[]}};
}

export type StateRead<T> =
  | {status: 'loaded'; state: T}
  | {status: 'missing'}
  /** Kept aside at movedTo (null when even the move failed); reason says why it was refused. */
  | {status: 'corrupt'; reason: string; movedTo: string | null};

const isGzip = (bytes: Buffer) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Reads a state file, plain or gzipped (the result history is written gzipped). */
export function readState<T>(file: string, schema: Validator<T>, now: () => number = Date.now): StateRead<T> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    if ((err as {code?: string}).code === 'ENOENT') return {status: 'missing'};
    return setAside(file, `cannot read it: ${describeError(err)}`, now);
  }
  const decoded = decodeState(bytes, schema);
  return decoded.ok ? {status: 'loaded', state: decoded.state} : setAside(file, decoded.reason, now);
}

/** A state file's bytes (plain or gzipped JSON) checked against its schema, wherever they were kept (a file, a database row). */
export function decodeState<T>(bytes: Buffer, schema: Validator<T>): {ok: true; state: T} | {ok: false; reason: string} {
  let text: string;
  try {
    text = isGzip(bytes) ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  } catch (err) {
    return {ok: false, reason: `cannot unpack it: ${describeError(err)}`};
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return {ok: false, reason: `not valid JSON: ${describeError(err)}`};
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const where = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    return {ok: false, reason: `unexpected content (${where})`};
  }
  return {ok: true, state: parsed.data};
}

const asideName = (file: string, now: () => number) => `${file}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`;

/** A copy of a file kept for the operator while the bridge goes on with the good parts of it; null when copying failed. */
export function copyAside(file: string, now: () => number = Date.now): string | null {
  const to = asideName(file, now);
  try {
    copyFileSync(file, to);
    return to;
  } catch {
    return null;
  }
}

function setAside(file: string, reason: string, now: () => number): StateRead<never> {
  const movedTo = asideName(file, now);
  try {
    renameSync(file, movedTo);
    return {status: 'corrupt', reason, movedTo};
  } catch (err) {
    return {status: 'corrupt', reason: `${reason}; moving it aside failed too: ${describeError(err)}`, movedTo: null};
  }
}

/**
 * Replaces the file in one step (readers see the old or the new content, never a mix), without
 * blocking the event loop: the writes and syncs run on libuv's threads.
 */
export async function writeTextAtomicAsync(file: string, text: string | Buffer): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, {recursive: true, mode: 0o700});
  const tmp = `${file}.tmp-${process.pid}-async`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    // A temp file an earlier run left (a container's bridge is always pid 1) keeps its mode on open.
    await handle.chmod(0o600);
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}
