// The command tokens /healthcheck accepts: what the current registrations and the configuration
// say, replaced as a whole on every read (a regenerated or deleted command's old token, or a team
// no longer served, is gone at once), never persisted, read again periodically and on demand. A
// read on demand costs ~2 + 2N calls with the bot's or admin's token, and team ids are no secret:
// a refused token makes one read at most once a minute per team, and never again once it failed.
import {createHash} from 'node:crypto';
import {Counter, type Registry} from 'prom-client';
import {tokenValidForTeam, type CommandToken} from './token';

export const REFRESH_RESULTS = ['read', 'throttled', 'failed_before'] as const;
/** How many refused tokens are remembered (oldest forgotten first). */
const FAILED_KEPT = 10_000;

export interface CommandTokensOptions {
  /** Reads the current tokens from the server (registrations and configured ones, by team id). */
  load: () => Promise<CommandToken[]>;
  /** Reads on demand (a refused token) at most this often per team (default 60 s). */
  minIntervalMs?: number;
  /** Where healthcheck_bridge_slash_token_rereads_total goes. */
  registry?: Registry;
  /** Each token read, for the logger's redaction. */
  onToken?: (token: string) => void;
  now?: () => number;
}

export class CommandTokens {
  private tokens: readonly CommandToken[] = [];
  private inFlight: Promise<void> | null = null;
  private readonly lastOnDemand = new Map<string, number>();
  /** Digests of team + token refused after a read that succeeded. */
  private readonly failed = new Set<string>();
  private readonly now: () => number;
  private readonly counted: Counter<'result'> | null;

  constructor(private readonly o: CommandTokensOptions) {
    this.now = o.now ?? Date.now;
    const name = 'healthcheck_bridge_slash_token_rereads_total';
    const registry = o.registry;
    this.counted = registry
      ? ((registry.getSingleMetric(name) as Counter<'result'> | undefined) ??
        new Counter({
          name,
          help: 'Refused /healthcheck tokens of a served team: read (the registrations were read again), throttled (read less than a minute before for that team), failed_before (this token was refused after a read already)',
          labelNames: ['result'],
          registers: [registry],
        }))
      : null;
    for (const result of REFRESH_RESULTS) this.counted?.inc({result}, 0);
  }

  current(): readonly CommandToken[] {
    return this.tokens;
  }

  /** Reads now (sharing a read in flight); a failed read keeps the tokens known so far. */
  refresh(): Promise<void> {
    this.inFlight ??= (async () => {
      try {
        const next = await this.o.load();
        for (const t of next) this.o.onToken?.(t.token);
        this.tokens = next;
      } finally {
        this.inFlight = null;
      }
    })();
    return this.inFlight;
  }

  /**
   * A read on demand for a token refused for `teamId`: at most one per team per minIntervalMs, none
   * for a token already refused after a read, a read in flight shared. A request refused in between
   * is not held. Periodic reads do not count, so a token regenerated just after one works at once.
   */
  async refreshSoon(teamId: string, token: string): Promise<void> {
    const key = createHash('sha256').update(`${teamId}\n${token}`, 'utf8').digest('base64');
    if (this.failed.has(key)) return void this.counted?.inc({result: 'failed_before'});
    if (!this.inFlight) {
      if (this.now() - (this.lastOnDemand.get(teamId) ?? -Infinity) < (this.o.minIntervalMs ?? 60_000)) return void this.counted?.inc({result: 'throttled'});
      this.lastOnDemand.set(teamId, this.now());
    }
    this.counted?.inc({result: 'read'});
    const read = this.inFlight ?? this.refresh();
    try {
      await read;
    } catch {
      return; // The server did not answer: the token may be fine, it is not remembered as refused.
    }
    if (tokenValidForTeam(teamId, token, this.tokens)) return;
    if (this.failed.size >= FAILED_KEPT) this.failed.delete(this.failed.values().next().value as string);
    this.failed.add(key);
  }
}
