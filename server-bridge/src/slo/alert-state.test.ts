import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {burningHistory, sloBridge} from '../bridge/testing/slo-bridge';
import {ResultHistory} from '../results/history';
import type {LoadedParts} from '../state/bridge-state';
import {applyTo, partsOf, rowsOf, type BridgeStore, type ChangeSet, type Rows} from '../state/bridge-store';

const MIN = 60_000;

/** A store several bridges share (as the PostgreSQL one is), in memory: every change set it applied is kept. */
class SharedStore implements BridgeStore {
  readonly where = 'memory';
  readonly applied: ChangeSet[] = [];
  private rows: Rows = rowsOf({});
  async load(): Promise<LoadedParts> {
    return structuredClone(partsOf(this.rows));
  }
  async apply(changes: ChangeSet): Promise<void> {
    this.applied.push(structuredClone(changes));
    applyTo(this.rows, structuredClone(changes));
  }
  async close(): Promise<void> {}
}

/** One bridge over the store or state file, its parts saved only on demand. */
const bridge = (now: {t: number}, history: ResultHistory, o: {store?: BridgeStore; stateFile?: string}) => sloBridge(now, history, {saveDelayMs: 60_000, ...o});

describe("the burn-rate alerts' state in the store", () => {
  it('is written in the change set that holds the outbox row of its root, before the root may be sent', async () => {
    const now = {t: Date.UTC(2026, 9, 10, 12)};
    const store = new SharedStore();
    const first = await bridge(now, burningHistory(now), {store});
    first.slo.tick();
    const [root] = first.roots();
    expect(root).toBeDefined();
    // What the outbox does before its first attempt (persist: write-ahead).
    await first.parts.store?.durable();
    const withRoot = store.applied.find((c) => c.outbox?.upsert[root?.deliveryId ?? '']);
    expect((withRoot?.meta?.upsert.slo as {open: {rootDeliveryId: string}[]} | undefined)?.open.map((a) => a.rootDeliveryId)).toEqual([root?.deliveryId]);
  });

  it('a bridge killed right after saving an alert: the next one (a restart, a new leader) opens no second root and resolves in the first thread', async () => {
    const now = {t: Date.UTC(2026, 9, 10, 12)};
    const store = new SharedStore();
    const history = burningHistory(now);
    const first = await bridge(now, history, {store});
    first.slo.tick();
    const root = first.roots()[0]?.deliveryId;
    await first.parts.store?.durable();
    // Killed: no stop, nothing more written. The next bridge reads the store.
    now.t += MIN;
    const next = await bridge(now, history, {store});
    next.slo.tick();
    expect(next.slo.openAlerts().map((a) => a.rootDeliveryId)).toEqual([root]);
    expect(next.roots().map((i) => i.deliveryId)).toEqual([root]);
    for (let i = 0; i < 420; i++) history.record({probe: 'login', target: 'mm', ok: true, durationMs: 9, startedAt: now.t + i * MIN, checks: []});
    now.t += 420 * MIN;
    next.slo.tick();
    const resolved = next.parts.outbox.snapshot().pending.find((i) => i.deliveryId.endsWith(':resolved'));
    expect(resolved?.rootDeliveryId).toBe(root);
  });

  it('a follower that takes over continues the alert the leader opened after the follower had loaded (ha.ts reload)', async () => {
    const now = {t: Date.UTC(2026, 9, 10, 12)};
    const store = new SharedStore();
    const history = burningHistory(now);
    const leader = await bridge(now, history, {store});
    const follower = await bridge(now, history, {store});
    leader.slo.tick();
    await leader.parts.store?.durable();
    const root = leader.roots()[0]?.deliveryId;
    // The takeover: the store's state replaces the follower's (as HighAvailability.reload does).
    const loaded = await store.load();
    follower.parts.outbox.replaceState(loaded.outbox ?? {pending: [], delivered: []});
    follower.parts.sloState.replace(loaded.slo ?? null);
    follower.parts.store?.rebase(loaded);
    now.t += MIN;
    follower.slo.tick();
    expect(follower.slo.openAlerts().map((a) => a.rootDeliveryId)).toEqual([root]);
    expect(follower.roots().map((i) => i.deliveryId)).toEqual([root]);
  });

  it('lives in the state file with the incidents (no side file)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-slo-state-'));
    try {
      const file = path.join(dir, 'state.json');
      const now = {t: Date.UTC(2026, 9, 10, 12)};
      const history = burningHistory(now);
      const first = await bridge(now, history, {stateFile: file});
      first.slo.tick();
      await first.parts.store?.durable();
      const root = first.roots()[0]?.deliveryId;
      expect(JSON.parse(readFileSync(file, 'utf8')).slo.open.map((a: {rootDeliveryId: string}) => a.rootDeliveryId)).toEqual([root]);
      const next = await bridge(now, history, {stateFile: file});
      next.slo.tick();
      expect(next.roots().map((i) => i.deliveryId)).toEqual([root]);
      expect(readFileSync(file, 'utf8')).toContain(root);
      await next.parts.store?.stop();
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
