// Every secret the bridge holds or learns (configured tokens and passwords, slash command tokens
// read from the server, the probe user's session token), so the logger can blank each one out.

/** Values shorter than this are not secrets worth replacing (and would mangle ordinary text). */
const MIN_LENGTH = 4;

export class SecretRegistry {
  private readonly values = new Set<string>();
  private forms: string[] = [];

  constructor(initial: readonly (string | null | undefined)[] = []) {
    for (const v of initial) this.add(v);
  }

  add(value: string | null | undefined): void {
    if (typeof value !== 'string' || value.length < MIN_LENGTH || this.values.has(value)) return;
    this.values.add(value);
    // A secret with quotes or backslashes appears JSON-escaped in a log line.
    this.forms = [...new Set([...this.values].flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))];
  }

  /** Each secret as written raw and JSON-escaped. */
  all(): readonly string[] {
    return this.forms;
  }
}
