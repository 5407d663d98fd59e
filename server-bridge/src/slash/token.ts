// Command tokens bound to their team, compared in constant time (both sides hashed to equal-length
// digests first, every candidate compared, no early exit).
import {createHash, timingSafeEqual} from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export interface CommandToken {
  teamId: string;
  token: string;
  /** The registered command's id; null for a token given in the configuration. */
  commandId: string | null;
}

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

/** True when `token` is one of the tokens of team `teamId`: a token of another team is refused. */
export function tokenValidForTeam(teamId: string, token: string | undefined, tokens: readonly CommandToken[]): boolean {
  return (
    !!teamId &&
    tokenMatches(
      token,
      tokens.filter((t) => t.teamId === teamId).map((t) => t.token),
    )
  );
}
