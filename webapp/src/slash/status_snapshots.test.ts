import {SNAPSHOTS_KEPT, makeRoom, type StatusSnapshot} from './status_snapshots';

const snapshot = (n: number) => ({teamName: `t${n}`}) as unknown as StatusSnapshot;

describe('status snapshots', () => {
  it('keeps only the newest answers, however often /healthcheck runs', () => {
    const snapshots = new Map<string, StatusSnapshot>();
    for (let i = 0; i < 1000; i++) {
      makeRoom(snapshots);
      snapshots.set(`healthcheck_${i}`, snapshot(i));
    }
    expect(snapshots.size).toBe(SNAPSHOTS_KEPT);
    expect(snapshots.get(`healthcheck_${999 - SNAPSHOTS_KEPT}`)).toBeUndefined();
    expect(snapshots.get('healthcheck_999')?.teamName).toBe('t999');
    expect(snapshots.get(`healthcheck_${1000 - SNAPSHOTS_KEPT}`)?.teamName).toBe(`t${1000 - SNAPSHOTS_KEPT}`);
  });
});
