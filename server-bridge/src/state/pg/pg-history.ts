// A bridge's own result history in the PostgreSQL store (HEALTHCHECK_STORE): the same gzipped
// bytes as the history file, in the row of this bridge's instance name. Each bridge probes from its
// own vantage, so each writes its own row, and only its own; the lease does not fence it.
import type {Pool} from 'pg';
import type {HistoryBytes} from '../store';

export class PgHistory implements HistoryBytes {
  constructor(
    private readonly pool: Pool,
    private readonly instance: string,
  ) {}

  get where(): string {
    return `the PostgreSQL store (hc_history, instance ${this.instance})`;
  }

  async load(): Promise<Buffer | null> {
    const r = await this.pool.query<{bytes: Buffer}>('SELECT bytes FROM hc_history WHERE instance = $1', [this.instance]);
    return r.rows[0]?.bytes ?? null;
  }

  async save(bytes: Buffer): Promise<void> {
    await this.pool.query('INSERT INTO hc_history (instance, saved_at, bytes) VALUES ($1, now(), $2) ON CONFLICT (instance) DO UPDATE SET saved_at = now(), bytes = EXCLUDED.bytes', [
      this.instance,
      bytes,
    ]);
  }
}
