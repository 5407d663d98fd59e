// Answers of /healthcheck made in this browser, keyed by the id of the ephemeral post that shows them.
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

export type StatusSnapshots = Map<string, StatusSnapshot>;
