import {DELIVERY_ID_PROP} from '../contract';
import {MattermostClient} from '../mm/client';
import {Outbox, type OutboxState} from './outbox';
import {mattermostPostApi} from './post-api';
import {BOT_ID, CH, LOG, OTHER, stubServer} from './testing/stub-server';

describe('outbox against a stub server', () => {
  let stub: Awaited<ReturnType<typeof stubServer>>;
  let clock = 1_000_000;
  const now = () => clock;
  beforeEach(async () => {
    stub = await stubServer();
    clock = 1_000_000;
  });
  afterEach(() => stub.close());
  const outbox = (extra: Partial<ConstructorParameters<typeof Outbox>[0]> = {}) =>
    new Outbox({api: mattermostPostApi(new MattermostClient({url: stub.url, token: 'bottoken'})), timeoutMs: 5000, initialBackoffMs: 1000, maxBackoffMs: 8000, now, ...extra});

  it('does not post twice when the server stored the post but the answer timed out', async () => {
    // Short enough to keep the test quick; only the hanging answer ever reaches it.
    const box = outbox({timeoutMs: 1000});
    stub.setMode('store-then-hang');
    const id = box.enqueue({op: 'create', channelId: CH, message: 'incident', props: {a: 1}, happenedAt: 42});
    await box.flush();
    expect(stub.posts).toHaveLength(1);
    expect(box.size).toBe(1);
    // The text the running bridge writes; /timeout/ matched before only because jest's realm printed the DOMException as "TimeoutError: …".
    expect(box.snapshot().pending[0]?.lastError).toBe('POST /api/v4/posts failed: no answer within 1000 ms');

    stub.setMode('ok');
    clock += 1000;
    await box.flush();
    expect(box.size).toBe(0);
    expect(stub.posts).toHaveLength(1);
    expect(stub.posts[0]?.props[DELIVERY_ID_PROP]).toBe(id);
    expect(box.postIdOf(id)).toBe(stub.posts[0]?.id);
    expect(stub.requests.filter((r) => r === 'POST /api/v4/posts')).toHaveLength(1);
  });

  it('ignores a post by someone else that carries the same delivery id', async () => {
    const box = outbox();
    stub.setMode('down-500');
    const id = box.enqueue({op: 'create', channelId: CH, message: 'incident', props: {}, happenedAt: 1});
    await box.flush();
    stub.posts.push({
      id: 'forged00000000000000000000',
      channel_id: CH,
      user_id: 'someoneelse000000000000000',
      root_id: '',
      message: 'fake',
      props: {[DELIVERY_ID_PROP]: id},
      delete_at: 0,
      create_at: 9e12,
      update_at: 9e12,
    });
    stub.setMode('ok');
    clock += 1000;
    await box.flush();
    expect(box.postIdOf(id)).not.toBe('forged00000000000000000000');
    expect(stub.posts.filter((p) => p.user_id === BOT_ID).map((p) => p.message)).toEqual(['incident']);
  });

  it('keeps posts while the server fails, with growing backoff, then delivers them in order', async () => {
    const box = outbox();
    stub.setMode('down-500');
    box.enqueue({op: 'create', channelId: CH, message: 'first', props: {}, happenedAt: 1});
    box.enqueue({op: 'create', channelId: CH, message: 'second', props: {}, happenedAt: 2});
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await box.flush();
      const head = box.snapshot().pending[0];
      delays.push((head?.nextAttemptAt ?? 0) - clock);
      clock = head?.nextAttemptAt ?? clock;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
    expect(box.size).toBe(2);
    stub.setMode('ok');
    await box.flush();
    expect(stub.posts.map((p) => p.message)).toEqual(['first', 'second']);
  });

  it('a reply waits for its root and goes into its thread; a patch reaches the delivered root', async () => {
    const box = outbox();
    stub.setMode('down-500');
    const root = box.enqueue({op: 'create', channelId: CH, message: 'root', props: {state: 'open'}, happenedAt: 1});
    box.enqueue({op: 'create', channelId: CH, rootDeliveryId: root, message: 'recovered', props: {}, happenedAt: 2});
    box.update(root, {message: 'root, two probes', props: {state: 'open', probes: 2}}, 2);
    await box.flush();
    expect(stub.posts).toHaveLength(0);
    stub.setMode('ok');
    clock += 1000;
    await box.flush();
    expect(stub.posts.map((p) => [p.message, p.root_id])).toEqual([
      ['root, two probes', ''],
      ['recovered', stub.posts[0]?.id],
    ]);
    box.update(root, {message: 'resolved', props: {state: 'resolved'}}, 3);
    clock += 5_000;
    await box.flush();
    expect(stub.posts[0]).toMatchObject({message: 'resolved', props: {state: 'resolved', [DELIVERY_ID_PROP]: root}});
  });

  it('drops a post the server refuses as invalid, says so, and goes on with the next', async () => {
    const errors: string[] = [];
    const box = outbox({log: {info: () => undefined, warn: () => undefined, error: (m) => errors.push(m)}});
    stub.setMode('bad-request');
    box.enqueue({op: 'create', channelId: CH, message: 'bad', props: {}, happenedAt: 1});
    await box.flush();
    expect(box.size).toBe(0);
    expect(errors[0]).toContain('refused');
  });

  it('survives a restart through its snapshot: pending posts and delivered ids are kept', async () => {
    const box = outbox();
    const root = box.enqueue({op: 'create', channelId: CH, message: 'root', props: {}, happenedAt: 1});
    await box.flush();
    stub.setMode('down-500');
    box.enqueue({op: 'create', channelId: CH, rootDeliveryId: root, message: 'reply', props: {}, happenedAt: 2});
    await box.flush();
    const saved = JSON.parse(JSON.stringify(box.snapshot())) as OutboxState;

    stub.setMode('ok');
    const again = outbox({state: saved});
    clock += 10_000;
    await again.flush();
    expect(stub.posts.map((p) => [p.message, p.root_id])).toEqual([
      ['root', ''],
      ['reply', stub.posts[0]?.id],
    ]);
    expect(again.enqueue({op: 'create', channelId: CH, deliveryId: root, message: 'root', props: {}, happenedAt: 1})).toBe(root);
    await again.flush();
    expect(stub.posts).toHaveLength(2);
  });

  it('does not double a post delivered after the last saved snapshot (crash before saving)', async () => {
    const box = outbox();
    box.enqueue({op: 'create', channelId: CH, message: 'root', props: {}, happenedAt: 1});
    const savedBeforeDelivery = JSON.parse(JSON.stringify(box.snapshot())) as OutboxState;
    await box.flush();
    const restarted = outbox({state: savedBeforeDelivery});
    await restarted.flush();
    expect(restarted.size).toBe(0);
    expect(stub.posts).toHaveLength(1);
  });

  it('forgets old delivered ids beyond its limit, except the ones it is told to keep', async () => {
    const box = outbox({maxDelivered: 2, keep: (id) => id === 'root-of-open-incident'});
    for (const id of ['root-of-open-incident', 'a', 'b', 'c']) box.enqueue({op: 'create', deliveryId: id, channelId: CH, message: id, props: {}, happenedAt: 1});
    await box.flush();
    expect(['root-of-open-incident', 'a', 'b', 'c'].map((id) => box.postIdOf(id) !== null)).toEqual([true, false, false, true]);
  });

  it('retries on its own timer once started, and kick() retries at once after a request that got no answer', async () => {
    const box = outbox({initialBackoffMs: 60_000, now: Date.now});
    stub.setMode('refuse');
    box.start();
    box.enqueue({op: 'create', channelId: CH, message: 'waiting', props: {}, happenedAt: 1});
    while (stub.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    stub.setMode('ok');
    box.kick();
    while (box.size > 0) await new Promise((r) => setTimeout(r, 10));
    await box.stop();
    expect(stub.posts.map((p) => p.message)).toEqual(['waiting']);
  });

  it('finds an earlier delivery however many posts came after it (paged back to the first attempt)', async () => {
    const box = outbox({timeoutMs: 1000});
    stub.setMode('store-then-hang');
    const id = box.enqueue({op: 'create', channelId: CH, message: 'incident', props: {}, happenedAt: 1});
    await box.flush();
    expect(stub.posts).toHaveLength(1);
    // A busy ops channel: more than one page of posts between the lost answer and the retry.
    stub.othersPost(CH, 450);
    stub.setMode('ok');
    clock += 1000;
    await box.flush();
    expect(box.size).toBe(0);
    expect(stub.posts.filter((p) => p.user_id === BOT_ID)).toHaveLength(1);
    expect(box.postIdOf(id)).toBe(stub.posts[0]?.id);
  });

  it('never waits for reports: an incident goes while the report ahead of it backs off', async () => {
    const box = outbox();
    stub.failing.add(LOG);
    box.enqueue({op: 'create', lane: 'report', channelId: LOG, message: 'report', props: {}, happenedAt: 1});
    box.enqueue({op: 'create', channelId: CH, message: 'incident', props: {}, happenedAt: 2});
    await box.flush();
    expect(stub.posts.map((p) => p.message)).toEqual(['incident']);
    expect(box.counts()).toEqual({alert: 0, report: 1, parked: 0});
  });

  it('writes a report to the state only once it may have reached the server, and keeps no delivered record of it', async () => {
    const delivered: string[] = [];
    const box = outbox({onDelivered: (item, postId) => delivered.push(`${item.message}:${postId}`)});
    box.enqueue({op: 'create', lane: 'report', channelId: LOG, message: 'report', props: {}, happenedAt: 1});
    box.enqueue({op: 'create', channelId: CH, message: 'incident', props: {}, happenedAt: 2});
    expect(box.snapshot().pending.map((p) => p.message)).toEqual(['incident']);
    stub.setMode('down-500');
    await box.flush();
    expect(
      box
        .snapshot()
        .pending.map((p) => p.message)
        .sort(),
    ).toEqual(['incident', 'report']);
    stub.setMode('ok');
    clock += 60_000;
    await box.flush();
    expect(delivered).toEqual([`incident:${stub.posts[0]?.id}`, `report:${stub.posts[1]?.id}`]);
    expect(box.snapshot()).toMatchObject({pending: [], delivered: [{postId: stub.posts[0]?.id}]});
    expect(box.snapshot().delivered).toHaveLength(1);
  });

  it('tells a change of a report (written to the state file later) from one of an alert (written within a second)', async () => {
    const changes: boolean[] = [];
    const box = outbox({onChange: (lazy) => changes.push(lazy)});
    box.enqueue({op: 'create', lane: 'report', channelId: LOG, message: 'report', props: {}, happenedAt: 1});
    await box.flush();
    expect(changes).toEqual([true, true]);
    box.enqueue({op: 'create', channelId: CH, message: 'incident', props: {}, happenedAt: 2});
    await box.flush();
    expect(changes).toEqual([true, true, false, false]);
  });

  it('keeps only the newest waiting report', async () => {
    const dropped: string[] = [];
    const box = outbox({onDropped: (item, reason) => dropped.push(`${item.message}:${reason}`)});
    stub.setMode('down-500');
    for (const n of [1, 2, 3]) box.enqueue({op: 'create', lane: 'report', channelId: LOG, message: `report ${n}`, props: {}, happenedAt: n});
    await box.flush();
    stub.setMode('ok');
    clock += 60_000;
    await box.flush();
    expect(stub.posts.map((p) => p.message)).toEqual(['report 3']);
    expect(dropped).toEqual(['report 1:superseded', 'report 2:superseded']);
  });

  it('parks a post the bot may not make (403), says so loudly, counts it, and lets the rest flow', async () => {
    const errors: string[] = [];
    const parked: string[] = [];
    const box = outbox({log: {info: () => undefined, warn: () => undefined, error: (m) => errors.push(m)}, onParked: (item) => parked.push(item.message)});
    stub.forbidden.add(CH);
    box.enqueue({op: 'create', channelId: CH, message: 'refused', props: {}, happenedAt: 1});
    box.enqueue({op: 'create', channelId: OTHER, message: 'next', props: {}, happenedAt: 2});
    await box.flush();
    expect(stub.posts.map((p) => p.message)).toEqual(['next']);
    expect(parked).toEqual(['refused']);
    expect(errors.join('\n')).toMatch(/does not let the bot post/);
    expect(box.snapshot().parked?.map((p) => [p.message, p.lastError])).toEqual([['refused', expect.stringContaining('403')]]);
    expect(box.size).toBe(0);
  });

  it('tries a parked alert again with its thread: a server whose database is down answers 403, then takes posts', async () => {
    const parked: string[] = [];
    const box = outbox({parkRetryMs: 60_000, patchWindowMs: 0, onParked: (item) => parked.push(item.message)});
    stub.forbidden.add(CH);
    const root = box.enqueue({op: 'create', channelId: CH, message: 'incident', props: {}, happenedAt: 1});
    await box.flush();
    expect(stub.posts).toEqual([]);
    // While the root waits parked, its edit rewrites it and its reply waits behind it.
    box.update(root, {message: 'incident (3 probes)', props: {}}, 2);
    box.enqueue({op: 'create', channelId: CH, rootDeliveryId: root, message: 'recovered', props: {}, happenedAt: 3});
    await box.flush();
    expect(stub.posts).toEqual([]);
    clock += 30_000;
    await box.flush();
    expect(stub.posts).toEqual([]);
    stub.forbidden.delete(CH);
    clock += 30_000;
    await box.flush();
    expect(stub.posts.map((p) => [p.message, p.root_id])).toEqual([
      ['incident (3 probes)', ''],
      ['recovered', stub.posts[0]?.id],
    ]);
    expect(parked).toEqual(['incident']);
    expect(box.counts()).toEqual({alert: 0, report: 0, parked: 0});
  });

  it('tries parked alerts of a channel at once when a later alert there goes through', async () => {
    const box = outbox({parkRetryMs: 3_600_000});
    stub.forbidden.add(CH);
    box.enqueue({op: 'create', channelId: CH, message: 'first', props: {}, happenedAt: 1});
    await box.flush();
    stub.forbidden.delete(CH);
    box.enqueue({op: 'create', channelId: CH, message: 'second', props: {}, happenedAt: 2});
    await box.flush();
    expect(stub.posts.map((p) => p.message)).toEqual(['second', 'first']);
    expect(box.counts().parked).toBe(0);
  });

  it('is bounded in count and age, and counts what it drops', async () => {
    const dropped: string[] = [];
    const box = outbox({maxPending: 3, maxAgeMs: 3_600_000, onDropped: (item, reason) => dropped.push(`${item.message}:${reason}`)});
    stub.setMode('down-500');
    for (const n of [1, 2, 3, 4, 5]) box.enqueue({op: 'create', channelId: CH, message: `alert ${n}`, props: {}, happenedAt: n});
    expect(box.size).toBe(3);
    expect(dropped).toEqual(['alert 1:count', 'alert 2:count']);
    clock += 3_600_001;
    box.enqueue({op: 'create', channelId: CH, message: 'fresh', props: {}, happenedAt: clock});
    await box.flush();
    expect(dropped).toEqual(['alert 1:count', 'alert 2:count', 'alert 3:age', 'alert 4:age', 'alert 5:age']);
    expect(box.snapshot().pending.map((p) => p.message)).toEqual(['fresh']);
  });

  it('keeps its backoff when the server answered with an error; kick() retries early only after no answer, once', async () => {
    const box = outbox();
    stub.setMode('down-500');
    box.enqueue({op: 'create', channelId: CH, message: 'waiting', props: {}, happenedAt: 1});
    await box.flush();
    const due = box.snapshot().pending[0]?.nextAttemptAt;
    box.kick();
    expect(box.snapshot().pending[0]?.nextAttemptAt).toBe(due);

    stub.setMode('refuse');
    clock = due as number;
    await box.flush();
    const later = box.snapshot().pending[0]?.nextAttemptAt as number;
    expect(later).toBeGreaterThan(clock);
    box.kick();
    expect(box.snapshot().pending[0]?.nextAttemptAt).toBe(clock);
    expect(box.snapshot().pending[0]?.kickable).toBe(false);
    stub.setMode('ok');
    await box.flush();
    expect(stub.posts.map((p) => p.message)).toEqual(['waiting']);
  });

  it('turns a burst of edits of one post into one patch with the latest content', async () => {
    const box = outbox();
    const root = box.enqueue({op: 'create', channelId: CH, message: 'root', props: {n: 0}, happenedAt: 1});
    await box.flush();
    for (const n of [1, 2, 3]) box.update(root, {message: `root ${n}`, props: {n}}, n);
    await box.flush();
    expect(stub.requests.filter((r) => r.startsWith('PUT'))).toHaveLength(0);
    clock += 5_000;
    await box.flush();
    expect(stub.requests.filter((r) => r.startsWith('PUT'))).toHaveLength(1);
    expect(stub.posts[0]).toMatchObject({message: 'root 3', props: {n: 3}});
  });

  it('a held patch does not hold the alerts behind it', async () => {
    const box = outbox();
    const root = box.enqueue({op: 'create', channelId: CH, message: 'root', props: {}, happenedAt: 1});
    await box.flush();
    box.update(root, {message: 'root, edited', props: {}}, 2);
    box.enqueue({op: 'create', channelId: CH, rootDeliveryId: root, message: 'reply', props: {}, happenedAt: 3});
    await box.flush();
    expect(stub.posts.map((p) => p.message)).toEqual(['root', 'reply']);
  });

  it('does not double a post whose create ran only after the thaw of a frozen server, beside the resend', async () => {
    const box = outbox({timeoutMs: 500});
    stub.setMode('frozen');
    const id = box.enqueue({op: 'create', channelId: CH, message: 'incident', props: {}, happenedAt: 1});
    await box.flush();
    expect(box.size).toBe(1);
    // After the thaw the resend looks first, finds nothing yet, posts; the held create runs after it.
    stub.setMode('ok');
    clock += 1000;
    await box.flush();
    stub.thaw();
    await new Promise((r) => setTimeout(r, 50));
    expect(stub.posts.filter((p) => p.user_id === BOT_ID)).toHaveLength(1);
    expect(box.postIdOf(id)).toBe(stub.posts[0]?.id);
  });
});
