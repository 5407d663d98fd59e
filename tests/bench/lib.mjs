// Shared helpers of the benchmarks: the bench instance's settings, statistics, /proc sampling.
import {readFileSync} from 'node:fs';
import {execFileSync} from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

export function instanceEnv() {
  const cache = process.env.HEALTHCHECK_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'mattermost-healthcheck');
  const file = path.join(cache, 'run', process.env.MM_INSTANCE || 'bench', 'env');
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2];
  }
  return env;
}

/** The bridge's variables for the bench server (secrets as plain values: the bench is local). */
export function bridgeVars(mm, extra = {}) {
  return {
    HEALTHCHECK_MM_URL: mm.MM_URL,
    HEALTHCHECK_TEAMS: mm.MM_TEAM,
    HEALTHCHECK_BOT_TOKEN: mm.MM_BOT_TOKEN,
    HEALTHCHECK_ADMIN_TOKEN: mm.MM_ADMIN_TOKEN,
    HEALTHCHECK_PROBE_USERNAME: mm.MM_PROBE_USERNAME,
    HEALTHCHECK_PROBE_PASSWORD: mm.MM_PROBE_PASSWORD,
    HEALTHCHECK_PROBE_CHANNEL: mm.MM_PROBE_CHANNEL,
    HEALTHCHECK_LOG_CHANNEL: mm.MM_LOG_CHANNEL,
    HEALTHCHECK_LISTEN: '127.0.0.1:0',
    ...extra,
  };
}

export function percentile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const TICK = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;

/** What the systemd unit and the container image set in NODE_OPTIONS (the bridge runs with it in the bench). */
export const DEPLOYED_NODE_OPTIONS = '--max-semi-space-size=2 --max-old-space-size=128';

/**
 * Memory of a process from /proc/<pid>/smaps_rollup (bytes): RSS, its anonymous part (the process's
 * own memory: heap, stacks, malloc) and Private_Clean + Private_Dirty, which also counts the pages of
 * the node executable when no other process maps them (the bench's own node often does).
 */
export function memSample(pid) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return {rss: kb('Rss'), anon: kb('Anonymous'), private: kb('Private_Clean') + kb('Private_Dirty')};
}

/** CPU seconds (user + system), RSS and its private (anonymous) part (bytes) of a process, from /proc. */
export function procSample(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) / TICK;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return {cpu, rss: kb('VmRSS'), anon: kb('RssAnon')};
}

export async function api(mm, method, route, body, token = mm.MM_ADMIN_TOKEN) {
  const res = await fetch(`${mm.MM_URL}/api/v4${route}`, {
    method,
    headers: {'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest', Authorization: `Bearer ${token}`},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} -> ${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : null;
}

export function heading(title) {
  console.log(`\n== ${title}`);
}

/** Prints runs and failures per probe with their reasons (probe ok/failed log lines); returns the failure count. */
export function printRunsByProbe(lines, probes) {
  const runs = lines.filter((l) => typeof l.probe === 'string' && (l.msg === 'probe ok' || l.msg === 'probe failed'));
  let failures = 0;
  for (const probe of probes) {
    const mine = runs.filter((r) => r.probe === probe);
    const failed = mine.filter((r) => !r.ok);
    failures += failed.length;
    const notConfigured = lines.filter((l) => l.probe === probe && l.msg === 'probe not configured').length;
    if (mine.length === 0 && notConfigured === 0) continue;
    console.log(`  ${probe.padEnd(16)} ${String(mine.length).padStart(5)} runs  ${String(failed.length).padStart(3)} failed${notConfigured ? `  (${notConfigured} not configured: neither)` : ''}`);
    const reasons = new Map();
    for (const f of failed) reasons.set(`${f.error}`, (reasons.get(`${f.error}`) ?? 0) + 1);
    for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`      ${n} x ${reason.slice(0, 200)}`);
  }
  console.log(
    `  all probes       ${String(runs.length).padStart(5)} runs  ${String(failures).padStart(3)} failed  (${fmt(runs.length ? ((runs.length - failures) / runs.length) * 100 : NaN, 2)} % ok; goal: 0 failed)`,
  );
  return failures;
}

/**
 * A probe user and probe channel per name, as separate servers would have (created when missing,
 * the bot and the user in the channel); returns the per-target settings.
 */
export async function ensureProbeAccounts(mm, names) {
  // Mattermost's default is 50 members a team; the bench server is ours.
  await api(mm, 'PUT', '/config/patch', {TeamSettings: {MaxUsersPerTeam: names.length + 50}});
  const team = await api(mm, 'GET', `/teams/name/${mm.MM_TEAM}`);
  const settings = [];
  for (const name of names) {
    const password = `${mm.MM_PROBE_PASSWORD}-${name}`;
    let user;
    try {
      user = await api(mm, 'GET', `/users/username/${name}`);
    } catch {
      user = await api(mm, 'POST', '/users', {username: name, email: `${name}@example.com`, password});
    }
    await api(mm, 'POST', `/teams/${team.id}/members`, {team_id: team.id, user_id: user.id});
    let channel;
    try {
      channel = await api(mm, 'GET', `/teams/${team.id}/channels/name/${name}`);
    } catch {
      channel = await api(mm, 'POST', '/channels', {team_id: team.id, name, display_name: name, type: 'O'});
    }
    for (const member of [mm.MM_BOT_USER_ID, user.id]) await api(mm, 'POST', `/channels/${channel.id}/members`, {user_id: member});
    settings.push({probeUsername: name, probePassword: password, probeChannel: name});
  }
  return settings;
}
