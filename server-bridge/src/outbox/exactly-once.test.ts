// Each narrow window of the alert path hit on purpose (issue "exactly once by construction"): the
// state file read at the instant a post reaches the server stands for a bridge killed right then.
import {existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {DELIVERY_REV_PROP} from '../contract';
import {incidentParts} from '../bridge/incident-parts';
import type {IncidentParts, IncidentServiceOptions} from '../bridge/incident-service';
import {DEFAULT_INCIDENT_SETTINGS} from '../incidents/incidents';
import {MattermostClient} from '../mm/client';
import type {ProbeResult} from '../probes/types';
import {StateStore} from '../state/store';
import {Outbox} from './outbox';
import {mattermostPostApi, type PostApi} from './post-api';
import {CH, LOG, stubServer} from './testing/stub-server';

const MIN = 60_000;

describe('exactly once, window by window', () => {
  let stub: Awaited<ReturnType<typeof stubServer>>;
  let dir: string;
  let file: string;
  let clock: number;
  const now = () => clock;
  beforeEach(async () => {
    stub = await stubServer();
    dir = mkdtempSync(path.join(os.tmpdir(), 'hc-once-'));
    file = path.join(dir, 'state.json');
    clock = 1_000_000;
  });
  afterEach(async () => {
    await stub.close();
    rmSync(dir, {recursive: true, force: true});
  });

  const bot = () => new MattermostClient({url: stub.url, token: 'bottoken'});
  const outbox = (extra: Partial<ConstructorParameters<typeof Outbox>[0]> = {}) =>
    new Outbox({api: mattermostPostApi(bot()), timeoutMs: 5000, initialBackoffMs: 1000, maxBackoffMs: 8000, now, ...extra});

  /** The service's parts on the stub server and the state file; writes only when the write-ahead asks (1 h delay otherwise). */
  const parts = (): Promise<IncidentParts> => {
    const options: IncidentServiceOptions = {
      bot: bot(),
      siteUrl: stub.url,
      team: 'team',
      teams: ['team'],
      opsChannel: 'ops',
      stateFile: file,
      settings: DEFAULT_INCIDENT_SETTINGS,
      knownProbes: () => ['ping'],
      probeRows: () => [],
      runNow: async () => [],
      log: {info: () => undefined, warn: () => undefined, error: () => undefined},
      saveDelayMs: 3_600_000,
      outbox: {timeoutMs: 2000, initialBackoffMs: 1000, maxBackoffMs: 8000},
      now,
    };
    return incidentParts(options);
  };
  const run = (ok: boolean): ProbeResult => ({
    probe: 'ping',
    target: 'local',
    ok,
    durationMs: 5,
    startedAt: clock,
    checks: ok ? [] : [{label: 'status', ok: false, observed: '502', expected: '200'}],
    ...(ok ? {} : {error: 'bad gateway'}),
  });
  /** The state file as it is when a create for this message arrives (a bridge killed right after its send). */
  const fileAtSendOf = (match: RegExp) => {
    const seen: {text: string | null} = {text: null};
    stub.onCreate((p) => {
      if (seen.text === null && match.test(p.message)) seen.text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    });
    return seen;
  };

  it('1. an incident and its root are on disk before the root is sent: a bridge killed after the send continues the same incident, no second root', async () => {
    const first = await parts();
    const atSend = fileAtSendOf(/Incident on/);
    for (const ok of [false, false]) {
      first.incidents.observe([run(ok)], clock);
      clock += MIN;
    }
    await first.outbox.flush();
    expect(stub.posts.map((p) => p.message.split('\n')[0])).toEqual([expect.stringContaining('Incident on')]);
    const id = first.incidents.openIncidents()[0]?.id;
    expect(atSend.text).toContain(id as string);
    // Killed at that instant: the restart reads the file as it was then.
    writeFileSync(file, atSend.text as string);
    const restarted = await parts();
    expect(restarted.incidents.openIncidents().map((i) => i.id)).toEqual([id]);
    await restarted.outbox.flush();
    expect(stub.posts).toHaveLength(1);
    expect(restarted.outbox.postIdOf(`${id}:root`)).toBe(stub.posts[0]?.id);
    // The recovery goes into that thread.
    for (const ok of [true, true]) {
      restarted.incidents.observe([run(ok)], clock);
      clock += MIN;
    }
    await restarted.outbox.flush();
    expect(stub.posts.filter((p) => p.root_id === stub.posts[0]?.id).map((p) => p.message)).toEqual([expect.stringContaining('Recovered')]);
  });

  it('1. a reply (the recovery) killed right after its send is looked up after the restart, not posted again', async () => {
    const first = await parts();
    for (const ok of [false, false]) first.incidents.observe([run(ok)], (clock += MIN));
    await first.outbox.flush();
    const atSend = fileAtSendOf(/Recovered/);
    for (const ok of [true, true]) first.incidents.observe([run(ok)], (clock += MIN));
    await first.outbox.flush();
    expect(atSend.text).toContain('Recovered');
    writeFileSync(file, atSend.text as string);
    const restarted = await parts();
    await restarted.outbox.flush();
    expect(stub.posts.filter((p) => /Recovered/.test(p.message))).toHaveLength(1);
  });

  it('6. a report post is in the state before its send: killed then, the restart finds it and retention knows it', async () => {
    const first = await parts();
    const atSend = fileAtSendOf(/report/);
    first.outbox.enqueue({op: 'create', lane: 'report', channelId: '~ops', message: 'report', props: {}, happenedAt: clock});
    await first.outbox.flush();
    expect(stub.posts).toHaveLength(1);
    writeFileSync(file, atSend.text as string);
    const restarted = await parts();
    await restarted.outbox.flush();
    expect(stub.posts).toHaveLength(1);
    expect(restarted.reportLedger.snapshot().posts.map((p) => p.id)).toEqual([stub.posts[0]?.id]);
  });

  it('2. a root rewritten while its timed-out create waits is edited to the new content once the earlier post is found', async () => {
    const box = outbox({timeoutMs: 500});
    stub.setMode('store-then-hang');
    const root = box.enqueue({op: 'create', channelId: CH, message: 'Incident: ping', props: {}, happenedAt: 1});
    await box.flush();
    expect(stub.posts.map((p) => p.message)).toEqual(['Incident: ping']);
    box.update(root, {message: 'Resolved: ping', props: {}}, 2);
    stub.setMode('ok');
    clock += 1000;
    await box.flush();
    expect(stub.posts.map((p) => [p.message, p.props[DELIVERY_REV_PROP]])).toEqual([['Resolved: ping', 2]]);
    expect(box.postIdOf(root)).toBe(stub.posts[0]?.id);
  });

  it('2. the same after a restart from a file of before (every waiting post looked up)', async () => {
    const box = outbox({timeoutMs: 500});
    stub.setMode('store-then-hang');
    const root = box.enqueue({op: 'create', channelId: CH, message: 'Incident: ping', props: {}, happenedAt: 1});
    await box.flush();
    box.update(root, {message: 'Resolved: ping', props: {}}, 2);
    const saved = JSON.parse(JSON.stringify(box.snapshot()));
    stub.setMode('ok');
    const restarted = outbox({state: saved});
    clock += 1000;
    await restarted.flush();
    expect(stub.posts.map((p) => p.message)).toEqual(['Resolved: ping']);
  });

  it('3. a newer report replaces a parked one, and parked posts beyond the bound are dropped and counted', async () => {
    const dropped: string[] = [];
    const box = outbox({maxParked: 3, parkRetryMs: 3_600_000, onDropped: (item, reason) => dropped.push(`${item.message}:${reason}`)});
    stub.forbidden.add(LOG);
    box.enqueue({op: 'create', lane: 'report', channelId: LOG, message: 'report 1', props: {}, happenedAt: 1});
    await box.flush();
    expect(box.counts().parked).toBe(1);
    box.enqueue({op: 'create', lane: 'report', channelId: LOG, message: 'report 2', props: {}, happenedAt: 2});
    await box.flush();
    expect(dropped).toEqual(['report 1:superseded']);
    expect(box.counts().parked).toBe(1);
    expect(box.snapshot().parked).toEqual([]);
    stub.forbidden.add(CH);
    for (const n of [1, 2, 3, 4]) box.enqueue({op: 'create', channelId: CH, message: `alert ${n}`, props: {}, happenedAt: n});
    await box.flush();
    expect(dropped).toEqual(['report 1:superseded', 'report 2:count', 'alert 1:count']);
    expect(box.counts().parked).toBe(3);
  });

  it('4. a parked reply holds the later replies of its thread: the thread keeps its order', async () => {
    const box = outbox({parkRetryMs: 60_000});
    const root = box.enqueue({op: 'create', channelId: CH, message: 'root', props: {}, happenedAt: 1});
    await box.flush();
    stub.forbiddenDeliveries.add('recovered');
    box.enqueue({op: 'create', deliveryId: 'recovered', channelId: CH, rootDeliveryId: root, message: 'recovered', props: {}, happenedAt: 2});
    await box.flush();
    box.enqueue({op: 'create', deliveryId: 'reminder-3', channelId: CH, rootDeliveryId: root, message: 'reminder 3', props: {}, happenedAt: 3});
    await box.flush();
    expect(stub.posts.map((p) => p.message)).toEqual(['root']);
    stub.forbiddenDeliveries.clear();
    clock += 60_000;
    await box.flush();
    expect(stub.posts.map((p) => p.message)).toEqual(['root', 'recovered', 'reminder 3']);
  });

  it("5. an edit that fails in flight never sends its older content over a button's answer", async () => {
    let box: Outbox | null = null;
    const api = mattermostPostApi(bot());
    let buttonOnce = true;
    const gated: PostApi = {
      ...api,
      patch: async (postId, patch, signal) => {
        if (buttonOnce) {
          buttonOnce = false;
          // While this edit is on its way, someone clicks Acknowledge: Mattermost applies the answer itself.
          const post = stub.posts.find((p) => p.id === postId);
          if (post) post.message = 'acknowledged';
          box?.amendWaiting(root, {message: 'acknowledged', props: {}});
          stub.failPatches(true);
        }
        return api.patch(postId, patch, signal);
      },
    };
    box = new Outbox({api: gated, timeoutMs: 5000, initialBackoffMs: 1000, maxBackoffMs: 8000, now, patchWindowMs: 0});
    const root = box.enqueue({op: 'create', channelId: CH, message: 'incident', props: {}, happenedAt: 1});
    await box.flush();
    box.update(root, {message: 'incident, two probes', props: {}}, 2);
    await box.flush();
    stub.failPatches(false);
    clock += 10_000;
    await box.flush();
    expect(stub.posts.map((p) => p.message)).toEqual(['acknowledged']);
  });

  it('6. an id already parked is not queued again; parked posts age out, counted', async () => {
    const dropped: string[] = [];
    const box = outbox({maxAgeMs: 3_600_000, parkRetryMs: 36_000_000, onDropped: (item, reason) => dropped.push(`${item.message}:${reason}`)});
    stub.forbidden.add(CH);
    box.enqueue({op: 'create', deliveryId: 'once', channelId: CH, message: 'once', props: {}, happenedAt: 1});
    await box.flush();
    box.enqueue({op: 'create', deliveryId: 'once', channelId: CH, message: 'once', props: {}, happenedAt: 1});
    expect(box.counts()).toEqual({alert: 0, report: 0, parked: 1});
    clock += 3_600_001;
    await box.flush();
    expect(dropped).toEqual(['once:age']);
    expect(box.counts().parked).toBe(0);
  });

  it('6. dropping a root drops the replies waiting in its thread (counted), never posting them on their own', async () => {
    const dropped: string[] = [];
    const box = outbox({maxPending: 3, onDropped: (item, reason) => dropped.push(`${item.message}:${reason}`)});
    stub.setMode('down-500');
    const a = box.enqueue({op: 'create', channelId: CH, message: 'root A', props: {}, happenedAt: 1});
    box.enqueue({op: 'create', channelId: CH, message: 'root B', props: {}, happenedAt: 2});
    box.enqueue({op: 'create', channelId: CH, rootDeliveryId: a, message: 'reply A1', props: {}, happenedAt: 3});
    box.enqueue({op: 'create', channelId: CH, message: 'root C', props: {}, happenedAt: 4});
    expect(dropped).toEqual(['root A:count', 'reply A1:thread']);
    stub.setMode('ok');
    await box.flush();
    expect(stub.posts.map((p) => p.message)).toEqual(['root B', 'root C']);
  });

  it('6. a failed state write is tried again by itself', async () => {
    const blocked = path.join(dir, 'sub');
    writeFileSync(blocked, 'a file where the folder should be');
    const target = path.join(blocked, 'state.json');
    const store = new StateStore({
      file: target,
      build: () => ({incidents: {trackers: [], open: [], resolved: [], mutes: []}, outbox: {pending: [], delivered: []}, reports: {adopted: true, posts: []}}),
      log: {info: () => undefined, warn: () => undefined, error: () => undefined},
      delayMs: 0,
      retryMs: 50,
    });
    store.changed();
    await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(target)).toBe(false);
    unlinkSync(blocked);
    for (let i = 0; i < 100 && !existsSync(target); i++) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(target)).toBe(true);
    await store.stop();
  });

  it('an edit whose attempt was recorded before a crash is looked up after the restart: not sent again when the post shows it', async () => {
    const box = outbox({patchWindowMs: 0});
    const root = box.enqueue({op: 'create', channelId: CH, message: 'incident', props: {}, happenedAt: 1});
    await box.flush();
    box.update(root, {message: 'resolved', props: {}}, 2);
    await box.flush();
    expect(stub.requests.filter((r) => r.startsWith('PUT'))).toHaveLength(1);
    // Killed after the edit landed, before its answer was saved: the state still holds it, attempted.
    const saved = JSON.parse(JSON.stringify(box.snapshot()));
    saved.outbox = undefined;
    const patchItem = {deliveryId: 'edit-1', op: 'patch', channelId: CH, rootDeliveryId: root, message: 'resolved', props: {}, happenedAt: 2, attempts: 1, nextAttemptAt: 0, rev: 2, seq: 9};
    const restarted = outbox({state: {...saved, pending: [patchItem], writeAhead: true}});
    await restarted.flush();
    expect(stub.requests.filter((r) => r.startsWith('PUT'))).toHaveLength(1);
    expect(restarted.size).toBe(0);
    // One the post does not show yet is sent.
    const older = outbox({state: {...saved, pending: [{...patchItem, deliveryId: 'edit-2', rev: 3, message: 'resolved, later'}], writeAhead: true}});
    await older.flush();
    expect(stub.requests.filter((r) => r.startsWith('PUT'))).toHaveLength(2);
    expect(stub.posts[0]?.message).toBe('resolved, later');
  });

  it('a create answered with an earlier post of the same delivery (older content) is edited to the content waiting now', async () => {
    const patched: string[] = [];
    // Mattermost answers a create repeated with the same pending_post_id with the first post it stored.
    const api: PostApi = {
      create: async () => ({id: 'first'.padEnd(26, '0'), rev: 1}),
      patch: async (_id, patch) => void patched.push(patch.message),
      revisionOf: async () => 1,
      findDelivered: async () => null,
    };
    const box = new Outbox({api, now, patchWindowMs: 0});
    stub.setMode('ok');
    const root = box.enqueue({op: 'create', channelId: CH, message: 'Incident: ping', props: {}, happenedAt: 1});
    box.update(root, {message: 'Incident: ping, login', props: {}}, 2);
    await box.flush();
    expect(patched).toEqual(['Incident: ping, login']);
  });
});
