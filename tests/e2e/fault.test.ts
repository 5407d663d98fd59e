// Fault tests against the real server: Mattermost stopped for a few cycles, PostgreSQL stopped.
// One incident each, posted once posting works again, dated when the failure began, and its
// recovery in the thread. Each test restores the server in finally.
import {testServer, startMattermost, stopMattermost, postgres} from '../lib/mattermost';
import {startBridge, waitFor, type TestBridge} from '../lib/incident-bridge';
import {parseAlertPost, type Alert} from '../../server-bridge/src/contract';
import type {MmPost, MmPostList} from '../../server-bridge/src/mm/types';

const mm = testServer();

interface AlertPost {
  post: MmPost;
  alert: Alert;
}

/** The bot's alert posts in the ops channel since a time, oldest first. */
async function alertsSince(since: number): Promise<AlertPost[]> {
  const list = await mm.admin.get<MmPostList>(`/channels/${mm.env.MM_OPS_CHANNEL_ID}/posts`, {query: {since}});
  const out: AlertPost[] = [];
  for (const post of Object.values(list.posts)) {
    const parsed = parseAlertPost(post, mm.env.MM_BOT_USER_ID);
    if (parsed.ok && post.delete_at === 0) out.push({post, alert: parsed.value});
  }
  return out.sort((a, b) => a.post.create_at - b.post.create_at);
}

async function pingOk(): Promise<boolean> {
  try {
    return (await mm.anonymous.request('GET', '/system/ping', {signal: AbortSignal.timeout(2000)})).status === 200;
  } catch {
    return false;
  }
}

let bridge: TestBridge | null = null;
afterEach(async () => {
  await bridge?.stop();
  bridge = null;
});

describe('faults', () => {
  it('Mattermost down for a few cycles: exactly one incident, posted once it is back, dated right, recovered in its thread', async () => {
    const since = Date.now();
    bridge = await startBridge(mm, {
      probes: [
        {name: 'ping', intervalMs: 1000, timeoutMs: 800},
        {name: 'login_page', intervalMs: 1000, timeoutMs: 800},
      ],
    });
    const b = bridge;
    await waitFor('ping ok', () => b.results.some((r) => r.probe === 'ping' && r.ok));
    let restartedAt = 0;
    stopMattermost();
    try {
      const firstFailure = await waitFor('a failed ping', () => b.results.find((r) => r.probe === 'ping' && !r.ok));
      await waitFor('four failed cycles', () => b.results.filter((r) => r.probe === 'ping' && !r.ok).length >= 4);
      expect(b.service.incidents.openIncidents()).toHaveLength(1);
      expect(b.service.outbox.size).toBeGreaterThan(0);
      restartedAt = Date.now();
      startMattermost();

      // The root's last edit (the second probe joining) may follow the recovery by the 5 s edit window.
      const resolved = await waitFor('the recovery in the thread, and the root naming both probes', async () => {
        const alerts = await alertsSince(since);
        return alerts.some((a) => a.alert.event === 'resolved') && alerts.some((a) => a.alert.event === 'open' && a.alert.probes.length >= 2) ? alerts : null;
      });
      const roots = resolved.filter((a) => a.alert.event === 'open');
      expect(roots).toHaveLength(1);
      const root = roots[0] as AlertPost;
      expect(root.post.create_at).toBeGreaterThanOrEqual(restartedAt);
      expect(root.alert.openedAt).toBe(Math.min(...b.results.filter((r) => !r.ok).map((r) => r.startedAt)));
      expect(root.alert.openedAt).toBeLessThanOrEqual(firstFailure.startedAt);
      expect(root.alert.probes.map((p) => p.probe).sort()).toEqual(['login_page', 'ping']);
      const replies = resolved.filter((a) => a.post.root_id === root.post.id);
      expect(replies.map((r) => r.alert.event)).toEqual(['resolved']);
      expect(replies[0]?.post.message).toMatch(/Recovered after \d+ (s|min)/);
      await waitFor('the root patched to resolved', async () => {
        const current = await mm.admin.get<MmPost>(`/posts/${root.post.id}`);
        const parsed = parseAlertPost(current, mm.env.MM_BOT_USER_ID);
        return parsed.ok && parsed.value.state === 'resolved' && parsed.value.durationMs !== null && current.message.includes('Resolved');
      });
      expect(b.service.outbox.size).toBe(0);
      expect(b.logs.filter((l) => l.includes(mm.env.MM_BOT_TOKEN as string))).toEqual([]);
    } finally {
      if (!(await pingOk())) startMattermost();
    }
  });

  it('PostgreSQL down: server_status fails with the database reason, one incident, recovery once it is back', async () => {
    const since = Date.now();
    bridge = await startBridge(mm, {probes: [{name: 'server_status', intervalMs: 1500, timeoutMs: 4000}]});
    const b = bridge;
    await waitFor('server_status ok', () => b.results.some((r) => r.probe === 'server_status' && r.ok));
    postgres('stop');
    let pgRunning = false;
    try {
      await waitFor('the incident to open', () => b.service.incidents.openIncidents().length === 1, 90_000);
      const failed = b.results.filter((r) => r.probe === 'server_status' && !r.ok);
      const db = failed[0]?.checks.find((c) => c.label === 'database_status');
      expect(db).toEqual({label: 'database_status', ok: false, observed: 'UNHEALTHY', expected: 'OK'});
      // The plain ping does not touch the database: it still answers, which is why server_status exists.
      expect(await pingOk()).toBe(true);
      postgres('start');
      pgRunning = true;
      const alerts = await waitFor(
        'the incident and its recovery',
        async () => {
          const list = await alertsSince(since);
          return list.some((a) => a.alert.event === 'resolved') ? list : null;
        },
        120_000,
      );
      const roots = alerts.filter((a) => a.alert.event === 'open');
      expect(roots).toHaveLength(1);
      expect(roots[0]?.alert.probes[0]).toMatchObject({probe: 'server_status', checks: expect.arrayContaining([expect.objectContaining({label: 'database_status', ok: false})])});
      expect(alerts.filter((a) => a.post.root_id === roots[0]?.post.id).map((a) => a.alert.event)).toEqual(['resolved']);
    } finally {
      if (!pgRunning) postgres('start');
    }
  });
});
