import {Revisions} from './revisions';

describe('revisions of a post', () => {
  it('counts up from what was kept, and calls content older than the applied one stale', () => {
    const r = new Revisions({items: [{deliveryId: 'e', op: 'patch', rootDeliveryId: 'root', rev: 4}], delivered: [{deliveryId: 'root', rev: 3}]});
    expect(r.appliedOf('root')).toBe(3);
    expect(r.next('root')).toBe(5);
    expect(r.isStale('root', 2)).toBe(true);
    expect(r.isStale('root', 3)).toBe(false);
    r.markApplied('root', 5);
    expect(r.isStale('root', 4)).toBe(true);
    r.markApplied('root', 1);
    expect(r.appliedOf('root')).toBe(5);
    expect(r.isStale('root', undefined)).toBe(false);
  });
});
