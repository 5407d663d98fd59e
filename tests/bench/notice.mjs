// The degraded-service notice's cost on the real server: N clients (distinct users, 1,000 by
// default) on Mattermost's websocket, the bot's custom status changed a few times (notice on, off,
// …, each text as the bridge writes it): delivery latency to every client from the PUT, bytes per
// client per change, and Mattermost's CPU time for it. Baseline in the same run: the same clients
// each polling GET /users/{bot} once, what polling every 60 s would cost per minute.
// The users are made once (bcrypt on the server is slow) and their tokens kept in the instance's
// run directory (mode 0600); 127.0.0.1 only; every wait is bounded.
//   BENCH_NOTICE_CLIENTS (1000)  BENCH_NOTICE_HUMANS (100; the rest are bot accounts)  BENCH_NOTICE_CHANGES (10)  MM_INSTANCE (bench)
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {api, fmt, heading, instanceEnv, percentile, procSample, sleep} from './lib.mjs';

const require = createRequire(import.meta.url);
const WebSocket = require('ws');
const CLIENTS = Number(process.env.BENCH_NOTICE_CLIENTS || 1000);
const CHANGES = Number(process.env.BENCH_NOTICE_CHANGES || 10);
const HUMANS = Number(process.env.BENCH_NOTICE_HUMANS || 100);
const here = path.dirname(fileURLToPath(import.meta.url));
const {botStatus} = require(path.resolve(here, '../../server-bridge/dist/contract/trust.js'));
const mm = instanceEnv();

/** Runs `fn` over `items`, at most `width` at a time. */
async function pool(items, width, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({length: Math.min(width, items.length)}, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

/**
 * N users in no team and no channel, each with a personal access token; made once per instance.
 * Mattermost without a licence refuses a 251st active user (bots do not count): the first HUMANS
 * are people, the rest bot accounts, whose sessions get the same broadcast.
 */
async function benchUsers(n) {
  const file = path.join(mm.MM_RUN_DIR, 'notice-bench-users.json');
  const kept = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
  if (kept.length >= n) return kept.slice(0, n);
  const started = performance.now();
  const made = await pool(
    Array.from({length: n - kept.length}, (_, i) => kept.length + i),
    4,
    async (i) => {
      const human = i < HUMANS;
      const username = human ? `noticebench${String(i).padStart(4, '0')}` : `noticebenchbot${String(i).padStart(4, '0')}`;
      let id;
      try {
        id = human
          ? (await api(mm, 'POST', '/users', {username, email: `${username}@localhost`, password: `Nb-${i}-${mm.MM_ADMIN_TOKEN.slice(0, 6)}-Pw1!`})).id
          : (await api(mm, 'POST', '/bots', {username, display_name: 'notice bench'})).user_id;
      } catch {
        // Made by a run that stopped before it kept the tokens.
        id = (await api(mm, 'GET', `/users/username/${username}`)).id;
      }
      const token = await api(mm, 'POST', `/users/${id}/tokens`, {description: 'notice bench'});
      return {id, token: token.token, human};
    },
  );
  const all = [...kept, ...made];
  writeFileSync(file, JSON.stringify(all), {mode: 0o600});
  console.log(`  made ${made.length} users with tokens in ${fmt((performance.now() - started) / 1000)} s (kept in ${file})`);
  return all;
}

/** One websocket client: counts bytes, and when the bot's status text holds `marker`, the time it arrived. */
function connect(user, botId) {
  const ws = new WebSocket(`${mm.MM_URL.replace(/^http/, 'ws')}/api/v4/websocket`, {headers: {Authorization: `Bearer ${user.token}`}, perMessageDeflate: false});
  const client = {ws, bytes: 0, marker: null, seenAt: null, seenBytes: 0};
  ws.on('message', (data) => {
    const text = String(data);
    client.bytes += data.length;
    // No JSON parsing: one client process stands in for a thousand browsers.
    if (client.marker && client.seenAt === null && text.includes('"user_updated"') && text.includes(botId) && text.includes(client.marker)) {
      client.seenAt = performance.now();
      client.seenBytes = data.length;
    }
  });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no hello within 30 s')), 30_000);
    ws.on('message', function hello(data) {
      if (String(data).includes('"event":"hello"')) {
        clearTimeout(timer);
        ws.off('message', hello);
        resolve(client);
      }
    });
    ws.once('error', reject);
  });
  return ready;
}

/** Mattermost's CPU seconds while `fn` runs, minus what it spends idle with the clients connected. */
async function cpuOf(pid, idlePerSecond, fn) {
  const before = procSample(pid).cpu;
  const t0 = performance.now();
  const result = await fn();
  const seconds = (performance.now() - t0) / 1000;
  return {result, cpu: procSample(pid).cpu - before - idlePerSecond * seconds, seconds};
}

export async function main() {
  heading(`degraded-service notice: ${CLIENTS} websocket clients, the bot's custom status changed ${CHANGES} times, vs polling GET /users/{bot} once each`);
  const pid = Number(readFileSync(path.join(mm.MM_RUN_DIR, 'mattermost.pid'), 'utf8').trim());
  const bot = await api(mm, 'GET', '/users/me', undefined, mm.MM_BOT_TOKEN);
  const previous = bot.props?.customStatus ? JSON.parse(bot.props.customStatus) : null;
  const users = await benchUsers(CLIENTS);

  const connectStarted = performance.now();
  const clients = await pool(users, 50, (u) => connect(u, bot.id));
  console.log(`  ${users.filter((u) => u.human !== false).length} people and ${users.filter((u) => u.human === false).length} bot accounts`);
  console.log(`  ${clients.length} clients connected in ${fmt((performance.now() - connectStarted) / 1000)} s`);
  try {
    await sleep(2000);
    const idleStart = procSample(pid).cpu;
    await sleep(5000);
    const idlePerSecond = (procSample(pid).cpu - idleStart) / 5;
    console.log(`  Mattermost idle with them: ${fmt(idlePerSecond * 1000)} ms CPU per second`);

    // The texts the bridge writes: notice on (messages slow, search down) and off, each naming a new report.
    const reportId = (k) => `noticebench${String(k).padStart(15, '0')}`;
    const rows = [];
    for (let k = 0; k < CHANGES; k++) {
      const notice =
        k % 2 === 0
          ? {
              services: [
                {key: 'messages', down: false},
                {key: 'search', down: true},
              ],
              since: Date.now() - 60_000,
            }
          : null;
      const status = botStatus(notice ? 'degraded' : 'ok', 'healthcheck', reportId(k), notice);
      const marker = reportId(k);
      for (const c of clients) Object.assign(c, {marker, seenAt: null, seenBytes: 0});
      const bytesBefore = clients.reduce((s, c) => s + c.bytes, 0);
      const {result, cpu} = await cpuOf(pid, idlePerSecond, async () => {
        const t0 = performance.now();
        await api(mm, 'PUT', `/users/${bot.id}/status/custom`, status, mm.MM_BOT_TOKEN);
        const deadline = t0 + 30_000;
        while (clients.some((c) => c.seenAt === null) && performance.now() < deadline) await sleep(5);
        return t0;
      });
      const got = clients.filter((c) => c.seenAt !== null);
      const latencies = got.map((c) => c.seenAt - result);
      rows.push({
        latencies,
        missed: clients.length - got.length,
        cpu,
        eventBytes: percentile(
          got.map((c) => c.seenBytes),
          0.5,
        ),
        allBytes: (clients.reduce((s, c) => s + c.bytes, 0) - bytesBefore) / clients.length,
      });
      console.log(
        `  change ${k + 1} (${notice ? 'notice on ' : 'notice off'}, ${status.text.length} chars): p50 ${fmt(percentile(latencies, 0.5))} ms, p95 ${fmt(percentile(latencies, 0.95))} ms, max ${fmt(Math.max(...latencies))} ms to ${got.length}/${clients.length}; ${fmt(cpu * 1000)} ms CPU; ${fmt(rows.at(-1).eventBytes, 0)} B event`,
      );
      await sleep(1000);
    }
    const all = rows.flatMap((r) => r.latencies);
    const pushCpu = rows.reduce((s, r) => s + r.cpu, 0) / rows.length;
    const pushBytes = rows.reduce((s, r) => s + r.allBytes, 0) / rows.length;

    // Baseline: every client asks for the bot once (what a poller needs to see the status), 50 at a time.
    const responseBytes = [];
    const pollLatency = [];
    const {cpu: pollCpu, seconds: pollSeconds} = await cpuOf(pid, idlePerSecond, () =>
      pool(users, 50, async (u) => {
        const t0 = performance.now();
        const res = await fetch(`${mm.MM_URL}/api/v4/users/${bot.id}`, {headers: {Authorization: `Bearer ${u.token}`}});
        const body = await res.arrayBuffer();
        pollLatency.push(performance.now() - t0);
        if (!res.ok) throw new Error(`GET /users/{bot} -> ${res.status}`);
        // The body and the status line and headers as sent (an estimate of the headers: their text).
        responseBytes.push(body.byteLength + [...res.headers].reduce((s, [k, v]) => s + k.length + v.length + 4, 17));
      }),
    );
    const pollBytes = percentile(responseBytes, 0.5);

    console.log(
      `  push, per change of the bot's status: delivered to all ${CLIENTS} clients p50 ${fmt(percentile(all, 0.5))} ms, p95 ${fmt(percentile(all, 0.95))} ms, max ${fmt(Math.max(...all))} ms (missed: ${rows.reduce((s, r) => s + r.missed, 0)}); ${fmt(pushBytes, 0)} B per client; Mattermost ${fmt(pushCpu * 1000)} ms CPU (${fmt((pushCpu * 1e6) / CLIENTS)} µs per client)`,
    );
    console.log(
      `  poll, ${CLIENTS} × GET /users/{bot} (50 in flight): ${fmt(pollSeconds)} s, p50 ${fmt(percentile(pollLatency, 0.5))} ms, p95 ${fmt(percentile(pollLatency, 0.95))} ms; ${fmt(pollBytes, 0)} B per response (+ the request and TCP/TLS setup a browser may reuse); Mattermost ${fmt(pollCpu * 1000)} ms CPU (${fmt((pollCpu * 1e6) / CLIENTS)} µs per client)`,
    );
    console.log(`  per minute: polling every 60 s costs Mattermost ${fmt(pollCpu * 1000)} ms CPU and ${fmt((pollBytes * CLIENTS) / 1024)} KB out, every minute, whether anything changed or not;`);
    console.log(
      `  push costs ${fmt(pushCpu * 1000)} ms CPU and ${fmt((pushBytes * CLIENTS) / 1024)} KB per status change (one per report: every 5 min by default, state changes at most every 10 s), nothing in between`,
    );
    console.log(
      `  ratio at one change a minute: polling / push = ${fmt(pollCpu / pushCpu)}× CPU, ${fmt(pollBytes / pushBytes)}× bytes; at the default heartbeat (0.2 changes a minute): ${fmt(pollCpu / (pushCpu * 0.2))}× CPU`,
    );
  } finally {
    for (const c of clients) c.ws.terminate();
    // The bot's status as it was (a bridge running on this server writes its own at its next report).
    if (previous?.text) await api(mm, 'PUT', `/users/${bot.id}/status/custom`, {emoji: previous.emoji, text: previous.text}, mm.MM_BOT_TOKEN);
    else await api(mm, 'DELETE', `/users/${bot.id}/status/custom`, undefined, mm.MM_BOT_TOKEN);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
