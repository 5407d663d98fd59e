import {StatusSnapshots, type StatusSnapshot} from './status_snapshots';

const snapshot = (n: number) => ({teamName: `t${n}`}) as unknown as StatusSnapshot;

describe('status snapshots', () => {
  it('keeps only the newest answers, however often /healthcheck runs', () => {
    const snapshots = new StatusSnapshots(3);
    for (let i = 0; i < 1000; i++) snapshots.set(`healthcheck_${i}`, snapshot(i));
    expect(snapshots.size).toBe(3);
    expect(snapshots.get('healthcheck_996')).toBeUndefined();
    expect(snapshots.get('healthcheck_999')?.teamName).toBe('t999');
    expect(snapshots.get('healthcheck_997')?.teamName).toBe('t997');
  });
});
