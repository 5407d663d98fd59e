// Each signed click is accepted once: its client trigger id is remembered until it could no
// longer pass the age check anyway.
export interface SeenTrigger {
  id: string;
  until: number;
}

export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(entries: readonly SeenTrigger[] = []) {
    for (const e of entries) this.seen.set(e.id, e.until);
  }

  /** True the first time an id is offered before `until`; false for a replay. */
  accept(id: string, until: number, now: number): boolean {
    this.prune(now);
    if (this.seen.has(id)) return false;
    this.seen.set(id, until);
    return true;
  }

  entries(now: number): SeenTrigger[] {
    this.prune(now);
    return [...this.seen].map(([id, until]) => ({id, until}));
  }

  private prune(now: number): void {
    for (const [id, until] of this.seen) if (until <= now) this.seen.delete(id);
  }
}
