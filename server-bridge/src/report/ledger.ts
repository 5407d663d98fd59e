// The report posts the bridge made, with their dates: retention deletes from this list instead of
// re-reading the log channel (at 50 targets a full read was ~780 MB a sweep). Until the list is
// "adopted" (first start, or a state without it) one full read finds the posts made before.
export interface LedgerState {
  adopted: boolean;
  /** Oldest first. */
  posts: {id: string; at: number}[];
}

export const MAX_LEDGER_POSTS = 50_000;

export class ReportLedger {
  private posts: {id: string; at: number}[];
  private readonly ids: Set<string>;
  private isAdopted: boolean;

  constructor(
    state?: LedgerState,
    private readonly onChange: () => void = () => undefined,
    private readonly max = MAX_LEDGER_POSTS,
  ) {
    this.posts = [...(state?.posts ?? [])].sort((a, b) => a.at - b.at);
    this.ids = new Set(this.posts.map((p) => p.id));
    this.isAdopted = state?.adopted ?? false;
  }

  /** What the store holds replaces what this bridge knew (it became the leader). */
  replaceState(state: LedgerState): void {
    this.posts = [...state.posts].sort((a, b) => a.at - b.at);
    this.ids.clear();
    for (const p of this.posts) this.ids.add(p.id);
    this.isAdopted = state.adopted;
  }

  get adopted(): boolean {
    return this.isAdopted;
  }

  get size(): number {
    return this.posts.length;
  }

  add(id: string, at: number): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    const i = this.posts.findLastIndex((p) => p.at <= at);
    this.posts.splice(i + 1, 0, {id, at});
    // Beyond the bound the oldest are forgotten (and left to Mattermost's own data retention).
    for (const dropped of this.posts.splice(0, Math.max(0, this.posts.length - this.max))) this.ids.delete(dropped.id);
    this.onChange();
  }

  /** Ids of the posts made before cutoff, oldest first. */
  due(cutoff: number): string[] {
    const out: string[] = [];
    for (const p of this.posts) {
      if (p.at >= cutoff) break;
      out.push(p.id);
    }
    return out;
  }

  forget(ids: Iterable<string>): void {
    const gone = new Set(ids);
    if (gone.size === 0) return;
    this.posts = this.posts.filter((p) => !gone.has(p.id));
    for (const id of gone) this.ids.delete(id);
    this.onChange();
  }

  /** The list now holds every report post of the channel. */
  adopt(): void {
    if (this.isAdopted) return;
    this.isAdopted = true;
    this.onChange();
  }

  snapshot(): LedgerState {
    return {adopted: this.isAdopted, posts: this.posts.map((p) => ({...p}))};
  }
}
