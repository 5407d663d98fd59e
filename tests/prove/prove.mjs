// make prove: fault rounds against the real server on loopback, each bounded in time, then one
// table: per round the incidents expected and posted, duplicates, lost recoveries, root edits and
// the seconds from the server being healthy again to the "Recovered" post in the thread.
//   PROVE_PLAN      kinds and counts (default mm-kill:20,mm-freeze:5,pg-outage:5,bridge-kill-open:2,bridge-kill-delivering:1,
//                   bridge-kill-after-root:2,bridge-kill-mid-edit:1,bridge-kill-parked-reply:1)
//   PROVE_INTERVAL  probe interval (10s; 60s is the bridge's default)  PROVE_RETRY  retry interval (5s; default 30s)
//   PROVE_SEED      random seed (printed)   PROVE_JSON=1  also prints the rounds as one JSON line
//   PROVE_BRIDGES   several bridges sharing a PostgreSQL store (default 1); with 3 the plan defaults to
//                   mm-kill:3,mm-freeze:2,leader-kill:3,leader-pause:2,store-restart:2,cut-one:1,cut-two:2
//   PROVE_QUORUM    votes an incident needs with several bridges (default 2)
import {mkdtempSync, rmSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {BridgeProcess, bridgeEnv} from './bridge.mjs';
import {faults, readEnv, sleep} from './faults.mjs';
import {adminCall, firstRoot, healthy, roundPosts} from './observe.mjs';
import {Fleet, storeCluster} from './fleet.mjs';

const instance = process.env.MM_INSTANCE || 'prove';
const ports = {mm: Number(process.env.MM_PORT || 18465), pg: Number(process.env.PG_PORT || 55833)};
const seconds = (text) => Number(/^(\d+(?:\.\d+)?)s$/.exec(text)?.[1] ?? NaN) * 1000;
const intervalMs = seconds(process.env.PROVE_INTERVAL || '10s');
const retryMs = seconds(process.env.PROVE_RETRY || '5s');
const timeoutMs = Math.min(intervalMs, 10_000);
const BRIDGES = Number(process.env.PROVE_BRIDGES || 1);
const FLEET_PLAN = 'mm-kill:3,mm-freeze:2,leader-kill:3,leader-pause:2,store-restart:2,cut-one:1,cut-two:2';
const PLAN = (
  process.env.PROVE_PLAN ||
  (BRIDGES > 1 ? FLEET_PLAN : null) ||
  'mm-kill:20,mm-freeze:5,pg-outage:5,bridge-kill-open:2,bridge-kill-delivering:1,bridge-kill-after-root:2,bridge-kill-mid-edit:1,bridge-kill-parked-reply:1'
)
  .split(',')
  .flatMap((part) => {
    const [kind, n] = part.split(':');
    return Array.from({length: Number(n ?? 1)}, () => kind);
  });
/** A round that has not seen its recovery this long after the server is healthy again gives up (a lost recovery). */
const ROUND_LIMIT_MS = Number(process.env.PROVE_ROUND_LIMIT_MS || 300_000);

let seed = Number(process.env.PROVE_SEED || Date.now() % 100_000);
const seedShown = seed;
/** Deterministic per seed (mulberry32), so a failing round can be re-run. */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const between = (lo, hi) => lo + random() * (hi - lo);

const mm = readEnv(instance);
const f = faults(instance, ports);
const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-prove-'));
const probeSettings = {
  HEALTHCHECK_INTERVAL: `${intervalMs}ms`,
  HEALTHCHECK_TIMEOUT: `${timeoutMs}ms`,
  HEALTHCHECK_RETRY_INTERVAL: `${retryMs}ms`,
  HEALTHCHECK_CHANNEL_JOIN_INTERVAL: `${intervalMs * 3}ms`,
};
const bridge = new BridgeProcess(bridgeEnv(mm, probeSettings, path.join(dir, 'state.json')), path.join(dir, 'bridge.log'));
/** Several bridges: a store of their own on the instance's PostgreSQL port + 40, a lease short enough to take over within 2 intervals. */
const storePort = ports.pg + 40;
const fleet =
  BRIDGES > 1
    ? new Fleet(
        mm,
        // The probes that leave the shared probe user's channel alone (three bridges share one probe user here).
        {
          ...probeSettings,
          HEALTHCHECK_PROBES: 'ping,login_page,login,websocket',
          HEALTHCHECK_QUORUM: process.env.PROVE_QUORUM || '2',
          HEALTHCHECK_LEASE: `${Math.round(intervalMs / 2)}ms`,
          HEALTHCHECK_VOTE_WINDOW: `${intervalMs * 4}ms`,
        },
        dir,
        BRIDGES,
        `postgres://postgres@127.0.0.1:${storePort}/hc_prove`,
      )
    : null;

/** Polls check every everyMs until it gives a value, or gives up after limitMs. */
async function waitFor(what, check, limitMs, everyMs = 250) {
  const end = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A failure that leaves posting working: ping answers UNHEALTHY while the server has this many goroutines (0: off). */
const goroutineThreshold = (n) => adminCall(mm, 'PUT', '/config/patch', {ServiceSettings: {GoroutineHealthThreshold: n}});
const healthyAgain = () => waitFor('a healthy server', () => healthy(mm).then((ok) => ok && Date.now()), 120_000);
/** Polls fast (every 10 ms) for the narrow windows. */
const waitFast = (what, check, limitMs) => waitFor(what, check, limitMs, 10);
const outboxItems = () => {
  const o = bridge.state()?.outbox;
  return [...(o?.pending ?? []), ...(o?.parked ?? [])];
};
/** What a narrow-window round says of the instant it hit (shown in the note column). */
let windowNote = '';

const openInState = async () => (fleet ? (await fleet.openIncidents()) > 0 : (bridge.state()?.incidents?.open?.length ?? 0) > 0);
/** Long enough for the failure threshold (2 failed runs): a first run within one interval, a retry after it. */
const faultMs = () => between(intervalMs + retryMs + timeoutMs + 5_000, intervalMs * 2 + retryMs + timeoutMs + 10_000);

/** Each kind applies its fault and resolves with the moment the server is healthy again. */
const KINDS = {
  async 'mm-kill'() {
    await f.killMattermost();
    await sleep(faultMs());
    f.startMattermost();
    return waitFor('a healthy server', () => healthy(mm).then((ok) => ok && Date.now()), 120_000);
  },
  async 'mm-freeze'() {
    f.freeze();
    try {
      await sleep(faultMs());
    } finally {
      f.thaw();
    }
    return waitFor('a healthy server', () => healthy(mm).then((ok) => ok && Date.now()), 120_000);
  },
  async 'pg-outage'() {
    f.postgres('stop');
    try {
      await sleep(faultMs());
    } finally {
      f.postgres('start');
    }
    return waitFor('a healthy server', () => healthy(mm).then((ok) => ok && Date.now()), 120_000);
  },
  /** The bridge is killed once the incident's root is in the channel, the incident still open. */
  async 'bridge-kill-open'(since) {
    await f.killMattermost();
    try {
      await waitFor('the incident opened by the bridge', openInState, 120_000);
    } finally {
      f.startMattermost();
    }
    const healthyAt = await waitFor('a healthy server', () => healthy(mm).then((ok) => ok && Date.now()), 120_000);
    await waitFor('the root post', async () => (await roundPosts(mm, since)).length > 0, 120_000);
    await bridge.stop('SIGKILL');
    await bridge.start();
    return healthyAt;
  },
  /** The bridge is killed at a random instant just after the server is back: while the outbox delivers. */
  async 'bridge-kill-delivering'() {
    await f.killMattermost();
    try {
      await waitFor('the incident opened by the bridge', openInState, 120_000);
    } finally {
      f.startMattermost();
    }
    const healthyAt = Date.now();
    await sleep(between(0, 1500));
    await bridge.stop('SIGKILL');
    await bridge.start();
    return healthyAt;
  },
};

/** ping UNHEALTHY while posting still works, until the incident's root is in the channel and `then` ran with it. */
async function withIncident(since, then = async (root) => root, wait = waitFor) {
  await goroutineThreshold(1);
  try {
    return await then(await wait('the root post', () => firstRoot(mm, since), 120_000));
  } finally {
    await goroutineThreshold(0);
  }
}

/** The rounds that hit each window between "sent" and "saved" on purpose; posting keeps working (GoroutineHealthThreshold). */
Object.assign(KINDS, {
  /** (a) SIGKILL within 100 ms of the incident's root appearing in the channel (sent, its delivery not yet saved). */
  async 'bridge-kill-after-root'(since) {
    const root = await withIncident(
      since,
      async (r) => {
        await bridge.stop('SIGKILL');
        return r;
      },
      waitFast,
    );
    windowNote = `killed ${Date.now() - root.create_at} ms after the root was stored`;
    const healthyAt = await healthyAgain();
    await bridge.start();
    return healthyAt;
  },
  /** (b) SIGKILL between an edit's send and its answer: the server frozen just before the root's patch goes, the bridge killed once the attempt is recorded. */
  async 'bridge-kill-mid-edit'(since) {
    await withIncident(since);
    const healthyAt = await healthyAgain();
    // The recovery patches the root after the outbox's edit window (5 s): freeze the server 300 ms before it goes.
    const held = await waitFast('the root edit waiting', () => outboxItems().find((i) => i.op === 'patch' && i.holdUntil), 180_000);
    await sleep(Math.max(0, held.holdUntil - Date.now() - 300));
    f.freeze();
    try {
      await waitFast('the edit attempt recorded', () => outboxItems().find((i) => i.op === 'patch' && i.attempts > 0), 15_000);
      await bridge.stop('SIGKILL');
    } finally {
      f.thaw();
    }
    windowNote = 'killed with the edit sent to a frozen server';
    await bridge.start();
    return healthyAt;
  },
  /** (c) SIGKILL while a reply refused with 403 waits for its retry (the bot taken out of the ops channel), then the bot let back in. */
  async 'bridge-kill-parked-reply'(since) {
    await withIncident(since, () => adminCall(mm, 'DELETE', `/channels/${mm.MM_OPS_CHANNEL_ID}/members/${mm.MM_BOT_USER_ID}`));
    const healthyAt = await healthyAgain();
    try {
      await waitFor('the recovery set aside (403)', () => bridge.state()?.outbox?.parked?.some((i) => i.deliveryId.endsWith(':resolved') && i.attempts > 0), 180_000);
      await bridge.stop('SIGKILL');
    } finally {
      await adminCall(mm, 'POST', `/channels/${mm.MM_OPS_CHANNEL_ID}/members`, {user_id: mm.MM_BOT_USER_ID});
    }
    windowNote = 'killed with the recovery set aside';
    await bridge.start();
    return healthyAt;
  },
});

/** Several bridges: the leader killed, paused past its lease, the store restarted, one or two bridges cut from Mattermost. */
const EXPECTED = {'cut-one': 0};
const leaderNow = () => waitFor('a leader', () => fleet.leader(), 120_000);
const takeover = async (before) =>
  waitFor(
    'a new leader',
    async () => {
      const l = await fleet.leader();
      return l && l.epoch > before.epoch ? l : null;
    },
    120_000,
  );
Object.assign(KINDS, {
  async 'leader-kill'(since) {
    const before = await withIncident(since, async () => {
      const leader = await leaderNow();
      const killedAt = Date.now();
      await leader.member.process.stop('SIGKILL');
      const next = await takeover(leader);
      windowNote = `${leader.holder} killed; ${next.holder} took over after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`;
      return leader;
    });
    const healthyAt = await healthyAgain();
    await before.member.process.start();
    return healthyAt;
  },
  async 'leader-pause'(since) {
    await withIncident(since, async () => {
      const before = await leaderNow();
      before.member.process.child.kill('SIGSTOP');
      try {
        const next = await takeover(before);
        windowNote = `${before.holder} paused; ${next.holder} took over`;
        await goroutineThreshold(0);
        await sleep(intervalMs);
      } finally {
        before.member.process.child.kill('SIGCONT');
      }
    });
    return healthyAgain();
  },
  async 'store-restart'(since) {
    storeCluster(instance, storePort, 'stop');
    try {
      await goroutineThreshold(1);
      await sleep(faultMs());
    } finally {
      storeCluster(instance, storePort, 'start');
    }
    try {
      await waitFor('the root post once the store is back', () => firstRoot(mm, since), 120_000);
    } finally {
      await goroutineThreshold(0);
    }
    return healthyAgain();
  },
  async 'cut-one'() {
    const leader = await leaderNow();
    const one = fleet.members.find((m) => m.name !== leader.holder);
    one.proxy.setBlocked(true);
    await sleep(faultMs());
    one.proxy.setBlocked(false);
    windowNote = `${one.name} cut: outvoted`;
    return healthyAgain();
  },
  async 'cut-two'(since) {
    const leader = await leaderNow();
    const two = [leader.member, fleet.members.find((m) => m.name !== leader.holder)];
    for (const m of two) m.proxy.setBlocked(true);
    try {
      await waitFor('the root post', () => firstRoot(mm, since), 120_000);
    } finally {
      for (const m of two) m.proxy.setBlocked(false);
    }
    windowNote = `${two.map((m) => m.name).join(' and ')} cut (the leader among them)`;
    return healthyAgain();
  },
});

async function round(n, kind) {
  // A random point of the probe cycle.
  await sleep(between(0, intervalMs));
  const since = Date.now();
  windowNote = '';
  const t0 = performance.now();
  const healthyAt = await KINDS[kind](since);
  const faultS = (performance.now() - t0) / 1000;
  let note = '';
  try {
    await waitFor(
      'the recovery in the thread',
      async () => {
        const incidents = await roundPosts(mm, since);
        // No incident at all a minute after the server is healthy: counted as not posted.
        if (incidents.length === 0) return !(await openInState()) && Date.now() - healthyAt > 60_000;
        return incidents.every((i) => i.inThread > 0 && i.resolvedRoot) && !(await openInState());
      },
      ROUND_LIMIT_MS,
    );
  } catch (err) {
    note = err.message;
  }
  // Late duplicates or edits would come within the outbox's patch window: wait it out before counting.
  await sleep(7_000);
  const incidents = await roundPosts(mm, since);
  const recovery = incidents.map((i) => (i.recoveredPostAt === null ? null : (i.recoveredPostAt - healthyAt) / 1000));
  const row = {
    round: n,
    kind,
    faultS,
    expected: EXPECTED[kind] ?? 1,
    posted: incidents.length,
    duplicates: incidents.reduce((sum, i) => sum + (i.copies - 1) + Math.max(0, i.recoveries - 1), 0),
    lostRecoveries: incidents.filter((i) => i.inThread === 0).length,
    rootEdits: incidents.reduce((sum, i) => sum + i.edits, 0),
    recoveryS: recovery.length && recovery.every((r) => r !== null) ? Math.max(...recovery) : null,
    note: [windowNote, note].filter(Boolean).join('; '),
  };
  printRow(row);
  return row;
}

const COLUMNS = [
  ['round', 5, (r) => r.round],
  ['kind', 24, (r) => r.kind],
  ['fault s', 8, (r) => r.faultS.toFixed(1)],
  ['expected', 8, (r) => r.expected],
  ['posted', 6, (r) => r.posted],
  ['dupl.', 5, (r) => r.duplicates],
  ['lost rec.', 9, (r) => r.lostRecoveries],
  ['root edits', 10, (r) => r.rootEdits],
  ['recovered s', 11, (r) => (r.recoveryS === null ? '-' : r.recoveryS.toFixed(1))],
  ['note', 0, (r) => r.note],
];
const line = (cells) =>
  cells
    .map((c, i) => String(c).padEnd(COLUMNS[i][1]))
    .join('  ')
    .trimEnd();
const printRow = (r) => console.log(line(COLUMNS.map(([, , get]) => get(r))));

async function main() {
  const started = performance.now();
  console.log(
    `prove: ${PLAN.length} rounds against ${mm.MM_URL} (instance ${instance}${fleet ? `, ${BRIDGES} bridges, quorum ${process.env.PROVE_QUORUM || 2}` : ''}); interval ${intervalMs / 1000} s, retry ${retryMs / 1000} s, timeout ${timeoutMs / 1000} s, seed ${seedShown}; bridge log ${bridge.logFile}`,
  );
  if (!(await healthy(mm))) throw new Error(`${mm.MM_URL} is not healthy before the first round`);
  if (fleet) {
    storeCluster(instance, storePort, 'start');
    await fleet.start();
    await waitFor('a leader and a first all-OK state', async () => (await fleet.leader()) && (await fleet.healthyTrackers()) >= 4 && !(await openInState()), 180_000);
  } else {
    await bridge.start();
    // Settle: the probe user back in its channel, every probe OK, no incident left from before.
    await waitFor('a first all-OK state', async () => (bridge.state()?.incidents?.trackers ?? []).filter((t) => t.state === 'ok').length >= 6 && !(await openInState()), 180_000);
  }
  console.log(line(COLUMNS.map(([name]) => name)));
  const rows = [];
  try {
    for (const [i, kind] of PLAN.entries()) rows.push(await round(i + 1, kind));
  } finally {
    if (fleet) {
      await fleet.stop('SIGTERM');
      storeCluster(instance, storePort, 'stop');
    } else await bridge.stop('SIGTERM');
  }
  const sum = (key) => rows.reduce((s, r) => s + r[key], 0);
  const recoveries = rows.map((r) => r.recoveryS).filter((r) => r !== null);
  const ok = rows.every((r) => r.posted === r.expected && r.duplicates === 0 && r.lostRecoveries === 0);
  console.log(
    line(['all', '', '', sum('expected'), sum('posted'), sum('duplicates'), sum('lostRecoveries'), sum('rootEdits'), recoveries.length ? `max ${Math.max(...recoveries).toFixed(1)}` : '-', '']),
  );
  console.log(
    `${ok ? 'every incident posted exactly once with its recovery in its thread' : 'NOT every incident was posted exactly once with its recovery in its thread'}; ${((performance.now() - started) / 60_000).toFixed(1)} min`,
  );
  if (process.env.PROVE_JSON) console.log(`PROVE_JSON ${JSON.stringify({ok, seed: seedShown, rows})}`);
  if (ok) rmSync(dir, {recursive: true, force: true});
  else console.log(`kept for inspection: ${dir}`);
  return ok ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(`prove: ${err.message} (bridge log: ${bridge.logFile})`);
    (fleet ? fleet.stop('SIGKILL') : bridge.stop('SIGKILL')).finally(() => (process.exitCode = 1));
  },
);
