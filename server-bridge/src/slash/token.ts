// Command tokens compared in constant time: both sides hashed to equal-length digests first.
import {createHash, timingSafeEqual} from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** True when `given` equals one of `expected`; every candidate is compared, no early exit. */
export function tokenMatches(given: string | undefined, expected: readonly string[]): boolean {
  const g = digest(given ?? '');
  let match = false;
  for (const token of expected) {
    if (!token) continue;
    if (timingSafeEqual(g, digest(token))) match = true;
  }
  return match && !!given;
}
