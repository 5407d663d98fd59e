// Answers of /healthcheck made in this browser, keyed by the id of the ephemeral post that shows them.
// Only the newest few are kept: each holds a whole report (up to hundreds of KB), and a session may
// run the command many times.
import type {LatestReport} from '../api/latest_report';
import type {PingResult} from '../api/ping';

export interface StatusSnapshot {
  ping: PingResult | null;
  pingError: string | null;
  latest: LatestReport;
  teamName: string;
  /** Older than this, the report is stale (twice the heartbeat). */
  staleAfterMs: number;
  /** The answer's plain text (mobile, notifications), in the user's language. */
  plain?: string;
}

export const SNAPSHOTS_KEPT = 10;

/** Ids of answers made here start with this, so an answer no longer kept is told from a foreign post. */
export const LOCAL_ANSWER_PREFIX = 'healthcheck_';

export type StatusSnapshots = Map<string, StatusSnapshot>;

/** Makes room for one more answer: only the newest SNAPSHOTS_KEPT stay (a Map iterates in insertion order). */
export function makeRoom(snapshots: StatusSnapshots): void {
  for (const oldest of snapshots.keys()) if (snapshots.size >= SNAPSHOTS_KEPT) snapshots.delete(oldest);
}
