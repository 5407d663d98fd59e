import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {applyTo, diffRows, partsOf, rowsOf, textsOf, type DurableParts} from './bridge-store';
import {FileStore} from './file-store';

const parts = (): DurableParts => ({
  incidents: {
    trackers: [{probe: 'ping', target: 'a', state: 'failing', since: 1}],
    open: [{id: 'i1', target: 'a', probes: ['ping'], openedAt: 1, resolvedAt: null, rootDeliveryId: 'i1:root', remindersSent: 0, lastReminderAt: null}],
    resolved: [{id: 'i0', target: 'a', probes: ['ping'], openedAt: 0, resolvedAt: 1, rootDeliveryId: 'i0:root', remindersSent: 0, lastReminderAt: null}],
    mutes: [],
  },
  outbox: {
    pending: [{deliveryId: 'i1:root', op: 'create', channelId: 'c', message: 'm', props: {}, happenedAt: 1, attempts: 1, nextAttemptAt: 1, seq: 2}],
    parked: [{deliveryId: 'x', op: 'create', channelId: 'c', message: 'x', props: {}, happenedAt: 1, attempts: 1, nextAttemptAt: 1, seq: 1}],
    delivered: [{deliveryId: 'i0:root', postId: 'p0', channelId: 'c', at: 1, rev: 2}],
    writeAhead: true,
  },
  reports: {adopted: true, posts: [{id: 'r1', at: 1}]},
});

describe('the store interface', () => {
  it('turns the parts into rows and back', () => {
    expect(partsOf(rowsOf(parts()))).toEqual(parts());
  });

  it('puts an incident and its outbox row in one change set, and removes what went', () => {
    const before = rowsOf(parts());
    const next = parts();
    next.incidents.open.push({id: 'i2', target: 'b', probes: ['login'], openedAt: 5, resolvedAt: null, rootDeliveryId: 'i2:root', remindersSent: 0, lastReminderAt: null});
    next.outbox.pending.push({deliveryId: 'i2:root', op: 'create', channelId: 'c', message: 'n', props: {}, happenedAt: 5, attempts: 0, nextAttemptAt: 5, seq: 3});
    next.outbox.parked = [];
    const after = rowsOf(next);
    const changes = diffRows(textsOf(before), textsOf(after), after);
    expect(Object.keys(changes ?? {})).toEqual(['incidents', 'outbox']);
    expect(Object.keys(changes?.incidents?.upsert ?? {})).toEqual(['i2']);
    expect(changes?.outbox).toEqual({upsert: {'i2:root': expect.objectContaining({where: 'pending'})}, remove: ['x']});
    applyTo(before, changes ?? {});
    expect(partsOf(before)).toEqual(partsOf(after));
    expect(diffRows(textsOf(after), textsOf(after), after)).toBeNull();
  });

  it('the state file: writes the format of before, and reads a file an older bridge wrote', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-file-store-'));
    try {
      const file = path.join(dir, 'state.json');
      const log = {info: () => undefined, warn: () => undefined, error: () => undefined};
      const older = {version: 1, savedAt: 1, incidents: parts().incidents, outbox: {pending: [{...parts().outbox.pending[0], seq: undefined}], delivered: []}};
      writeFileSync(file, JSON.stringify(older));
      const store = new FileStore(file, log);
      const loaded = await store.load();
      expect(loaded.incidents?.open.map((i) => i.id)).toEqual(['i1']);
      expect(loaded.outbox?.writeAhead).toBeUndefined();
      await store.apply({meta: {upsert: {outbox: {writeAhead: true}}, remove: []}, incidents: {upsert: {}, remove: ['i0']}});
      const written = JSON.parse(readFileSync(file, 'utf8'));
      expect(written).toMatchObject({version: 1, outbox: {writeAhead: true, pending: [{deliveryId: 'i1:root'}]}, incidents: {open: [{id: 'i1'}], resolved: []}});
      expect(store.writes).toBe(1);
    } finally {
      rmSync(dir, {recursive: true, force: true});
    }
  });
});
