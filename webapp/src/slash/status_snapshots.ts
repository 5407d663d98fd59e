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
}

export const SNAPSHOTS_KEPT = 10;

/** Ids of answers made here start with this, so an answer no longer kept is told from a foreign post. */
export const LOCAL_ANSWER_PREFIX = 'healthcheck_';

/** A Map that keeps only its newest `limit` entries (a Map iterates in insertion order). */
export class StatusSnapshots extends Map<string, StatusSnapshot> {
  constructor(private readonly limit = SNAPSHOTS_KEPT) {
    super();
  }

  override set(id: string, snapshot: StatusSnapshot): this {
    super.delete(id);
    super.set(id, snapshot);
    for (const oldest of this.keys()) {
      if (this.size <= this.limit) break;
      this.delete(oldest);
    }
    return this;
  }
}
