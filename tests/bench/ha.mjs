// Several bridges (HEALTHCHECK_STORE): three bridge processes sharing a PostgreSQL store of their own
// against the bench server. Prints the failover time over BENCH_HA_KILLS leader kills (median and
// max, against the goal of two probe intervals), the store's writes and bytes per probe run and its
// growth per day at BENCH_HA_TARGETS targets, and /healthcheck's p50/p95 answered by a follower
// against the leader (the bridge's own route, same requests interleaved).
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {Fleet, sql, storeCluster} from '../prove/fleet.mjs';
import {fmt, heading, instanceEnv, percentile, sleep} from './lib.mjs';

const KILLS = Number(process.env.BENCH_HA_KILLS || 10);
const TARGETS = Number(process.env.BENCH_HA_TARGETS || 50);
const WINDOW_S = Number(process.env.BENCH_HA_SECONDS || 120);
const SLASH_RUNS = Number(process.env.BENCH_HA_SLASH_RUNS || 300);
const INTERVAL_S = 60;
const mm = instanceEnv();
const instance = process.env.MM_INSTANCE || 'bench';
const storePort = Number(process.env.PG_PORT || 55933) + 40;
const SLASH_TOKEN = 'benchhaslashtoken00000000000';

const waitUntil = async (check, limitMs) => {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error('gave up waiting');
    await sleep(100);
  }
};

async function dbStats(url) {
  const [row] = await sql(
    url,
    `SELECT xact_commit::bigint AS commits, (tup_inserted + tup_updated + tup_deleted)::bigint AS rows, pg_database_size(current_database())::bigint AS size,
            pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint AS wal FROM pg_stat_database WHERE datname = current_database()`,
  );
  return {commits: Number(row.commits), rows: Number(row.rows), size: Number(row.size), wal: Number(row.wal)};
}

async function failover(dir) {
  const url = `postgres://postgres@127.0.0.1:${storePort}/hc_bench_failover`;
  const fleet = new Fleet(mm, {HEALTHCHECK_PROBES: 'ping', HEALTHCHECK_INTERVAL: `${INTERVAL_S}s`}, dir, 3, url);
  await fleet.start();
  const times = [];
  try {
    for (let i = 0; i < KILLS; i++) {
      const before = await waitUntil(() => fleet.leader(), 120_000);
      const killedAt = performance.now();
      await before.member.process.stop('SIGKILL');
      await waitUntil(async () => ((await fleet.leader())?.epoch ?? 0) > before.epoch, 120_000);
      times.push((performance.now() - killedAt) / 1000);
      await before.member.process.start();
    }
  } finally {
    await fleet.stop('SIGTERM');
  }
  const median = percentile(times, 0.5);
  const max = Math.max(...times);
  console.log(`failover over ${KILLS} leader kills (SIGKILL), lease 15 s (the default), probe interval ${INTERVAL_S} s: median ${fmt(median)} s, max ${fmt(max)} s`);
  console.log(`  goal: within 2 intervals (${2 * INTERVAL_S} s): max / goal = ${fmt(max / (2 * INTERVAL_S), 2)}`);
}

async function storeCost(dir) {
  const url = `postgres://postgres@127.0.0.1:${storePort}/hc_bench_cost`;
  const file = path.join(dir, 'targets.json');
  // Every target inherits the URL and tokens from the variables; ping and login_page each every 15 s.
  writeFileSync(file, JSON.stringify({targets: Array.from({length: TARGETS}, (_, i) => ({name: `node-${i + 1}`}))}));
  const fleet = new Fleet(
    mm,
    {HEALTHCHECK_CONFIG_FILE: file, HEALTHCHECK_PROBES: 'ping,login_page', HEALTHCHECK_INTERVAL: '15s', HEALTHCHECK_SLASH_TOKENS: `${mm.MM_TEAM}:${SLASH_TOKEN}`, HEALTHCHECK_LOG_LEVEL: 'info'},
    dir,
    3,
    url,
  );
  await fleet.start();
  try {
    await waitUntil(() => fleet.leader(), 120_000);
    // The startup (migrations, first votes) is not steady state.
    await sleep(30_000);
    const before = {db: await dbStats(url), runs: await runsOf(fleet)};
    await sleep(WINDOW_S * 1000);
    const after = {db: await dbStats(url), runs: await runsOf(fleet)};
    const runs = after.runs - before.runs;
    const perRun = (k) => (after.db[k] - before.db[k]) / Math.max(1, runs);
    console.log(`store cost with 3 bridges x ${TARGETS} targets (ping and login_page every 15 s), ${WINDOW_S} s of steady state: ${runs} probe runs`);
    console.log(`  per probe run: ${fmt(perRun('commits'), 3)} transactions, ${fmt(perRun('rows'), 3)} rows written, ${fmt(perRun('wal'), 0)} bytes of WAL`);
    const perDay = 86_400 / WINDOW_S;
    // Rows are upserted in place (vacuum takes the dead ones back): the writes per day tell the growth, the size only what is allocated.
    console.log(
      `  per day: ${fmt(((after.db.rows - before.db.rows) * perDay) / 1e6, 3)} M rows written, WAL ${fmt(((after.db.wal - before.db.wal) * perDay) / 1e9, 3)} GB; database ${fmt(after.db.size / 1e6, 1)} MB now, ${fmt((after.db.size - before.db.size) / 1e3, 0)} kB more than at the window's start`,
    );
    await slashLatency(fleet);
  } finally {
    await fleet.stop('SIGTERM');
  }
}

async function runsOf(fleet) {
  let runs = 0;
  for (const m of fleet.members) {
    const port = portOf(m);
    if (!port) continue;
    const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    for (const line of text.split('\n')) if (line.startsWith('healthcheck_probe_runs_total{')) runs += Number(line.split(' ').at(-1));
  }
  return runs;
}

function portOf(member) {
  const log = member.process.log?.() ?? '';
  return /"url":"http:\/\/127\.0\.0\.1:(\d+)"/.exec(log)?.[1] ?? null;
}

/** The bridge's own /healthcheck route (status, read-only) on the leader and on a follower, interleaved. */
async function slashLatency(fleet) {
  const leader = await fleet.leader();
  const follower = fleet.members.find((m) => m.name !== leader.holder);
  const team = (await fetch(`${mm.MM_URL}/api/v4/teams/name/${mm.MM_TEAM}`, {headers: {Authorization: `Bearer ${mm.MM_ADMIN_TOKEN}`}}).then((r) => r.json())).id;
  const admin = await fetch(`${mm.MM_URL}/api/v4/users/me`, {headers: {Authorization: `Bearer ${mm.MM_ADMIN_TOKEN}`}}).then((r) => r.json());
  const form = new URLSearchParams({token: SLASH_TOKEN, team_id: team, user_id: admin.id, channel_id: '', command: '/healthcheck', text: ''}).toString();
  const timings = {leader: [], follower: []};
  for (let i = 0; i < SLASH_RUNS; i++) {
    for (const [role, member] of [
      ['leader', leader.member],
      ['follower', follower],
    ]) {
      const t0 = performance.now();
      const res = await fetch(`http://127.0.0.1:${portOf(member)}/slash/healthcheck`, {method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: form});
      await res.text();
      if (res.status !== 200) throw new Error(`/slash/healthcheck answered ${res.status} on the ${role}`);
      timings[role].push(performance.now() - t0);
    }
  }
  const p = (role, q) => percentile(timings[role], q);
  console.log(
    `/healthcheck (the bridge's route, status, ${SLASH_RUNS} each, interleaved): leader p50 ${fmt(p('leader', 0.5), 2)} ms p95 ${fmt(p('leader', 0.95), 2)} ms; follower p50 ${fmt(p('follower', 0.5), 2)} ms p95 ${fmt(p('follower', 0.95), 2)} ms; follower/leader p95 ${fmt(p('follower', 0.95) / p('leader', 0.95), 2)}`,
  );
}

export async function main() {
  heading(`several bridges: 3 sharing a PostgreSQL store (port ${storePort}), against ${mm.MM_URL}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-bench-ha-'));
  storeCluster(instance, storePort, 'start');
  try {
    await failover(dir);
    await storeCost(dir);
    rmSync(dir, {recursive: true, force: true});
  } catch (err) {
    console.log(`several bridges: ${err.message}; the bridges' logs are kept in ${dir}`);
    throw err;
  } finally {
    storeCluster(instance, storePort, 'stop');
  }
}
