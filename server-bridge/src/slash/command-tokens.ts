// The command tokens /healthcheck accepts: what the current registrations and the configuration
// say, replaced as a whole on every read (a regenerated or deleted command's old token, or a team
// no longer served, is gone at once), never persisted, read again periodically and on demand.
import type {CommandToken} from './token';

export interface CommandTokensOptions {
  /** Reads the current tokens from the server (registrations and configured ones, by team id). */
  load: () => Promise<CommandToken[]>;
  /** Reads on demand (a refused token) at most this often (default 1 s). */
  minIntervalMs?: number;
  /** Each token read, for the logger's redaction. */
  onToken?: (token: string) => void;
  now?: () => number;
}

export class CommandTokens {
  private tokens: readonly CommandToken[] = [];
  private inFlight: Promise<void> | null = null;
  private lastOnDemand = -Infinity;
  private readonly now: () => number;

  constructor(private readonly o: CommandTokensOptions) {
    this.now = o.now ?? Date.now;
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
   * A read on demand (a refused token): at most one per minIntervalMs, so refused requests cannot
   * drive a storm of reads (a request refused in between is not held); a read in flight is shared.
   * Periodic reads do not count, so a token regenerated just after one works at once.
   */
  refreshSoon(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    if (this.now() - this.lastOnDemand < (this.o.minIntervalMs ?? 1000)) return Promise.resolve();
    this.lastOnDemand = this.now();
    return this.refresh().catch(() => undefined);
  }
}
