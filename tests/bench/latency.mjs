// Delivery-latency accuracy: the post_roundtrip probe's latency against an independent websocket
// listener (a second user, its own `ws` connection) for the same posts in the same run.
// The send instant both are measured from is when the probe's POST /posts leaves: written to its
// connected socket (the bridge's HTTP client tells it, mm/http.ts, as the probe itself takes it);
// each listener stamps an event with the socket read that brought it, before parsing.
// Two listeners: one connected for the whole run (warm), one connected afresh before each post
// like the probe's own socket, which separates the probe's measuring from the server's cost of a
// first event on a new connection.
import WebSocket from 'ws';
import {MattermostClient} from '../../server-bridge/dist/mm/client.js';
import {httpFetch} from '../../server-bridge/dist/mm/http.js';
import {probeRegistry} from '../../server-bridge/dist/probes/registry.js';
import {api, fmt, heading, instanceEnv, percentile, sleep} from './lib.mjs';

const RUNS = Number(process.env.BENCH_LATENCY_RUNS || 40);
const mm = instanceEnv();

async function listener() {
  const ws = new WebSocket(`${mm.MM_URL.replace(/^http/, 'ws')}/api/v4/websocket`);
  const arrivals = new Map();
  let readAt = 0;
  ws.once('upgrade', (res) => res.socket.prependListener('data', () => (readAt = performance.now())));
  ws.on('message', (data) => {
    const at = readAt || performance.now();
    const msg = JSON.parse(data.toString());
    if (msg.event !== 'posted') return;
    const post = JSON.parse(msg.data.post);
    arrivals.set(post.message, at);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({seq: 1, action: 'authentication_challenge', data: {token: mm.MM_ADMIN_TOKEN}}));
  await sleep(300);
  return {arrivals, close: () => ws.close()};
}

export async function main() {
  heading(`delivery latency: post_roundtrip vs an independent websocket listener (${RUNS} posts)`);
  // The listener is the admin: a member of the probe channel sees its posted events.
  await api(mm, 'POST', `/channels/${mm.MM_PROBE_CHANNEL_ID}/members`, {user_id: mm.MM_ADMIN_USER_ID});
  const l = await listener();
  const sends = new Map();
  const recording = (input, init) => {
    if (init.method !== 'POST' || new URL(input).pathname !== '/api/v4/posts') return httpFetch(input, init);
    const {message} = JSON.parse(init.body);
    return httpFetch(input, {
      ...init,
      onSent: (at) => {
        sends.set(message, at);
        init.onSent?.(at);
      },
    });
  };
  const target = {
    name: 'bench',
    url: mm.MM_URL,
    team: mm.MM_TEAM,
    botToken: mm.MM_BOT_TOKEN,
    probeUsername: mm.MM_PROBE_USERNAME,
    probePassword: mm.MM_PROBE_PASSWORD,
    probeChannel: mm.MM_PROBE_CHANNEL,
  };
  const cache = new Map();
  const probeMs = [];
  const warm = {ms: [], diffs: []};
  const fresh = {ms: [], diffs: []};
  let failed = 0;
  for (let i = 0; i < RUNS; i++) {
    sends.clear();
    const f = await listener();
    const result = await probeRegistry.post_roundtrip.run({target, signal: AbortSignal.timeout(10_000), timeoutMs: 10_000, cache, client: new MattermostClient({url: target.url, fetch: recording})});
    const [[message, sentAt] = []] = [...sends];
    await sleep(50);
    f.close();
    const heardWarm = message ? l.arrivals.get(message) : undefined;
    const heardFresh = message ? f.arrivals.get(message) : undefined;
    if (!result.ok || typeof result.facts?.latencyMs !== 'number' || heardWarm === undefined || heardFresh === undefined) {
      failed++;
      continue;
    }
    probeMs.push(result.facts.latencyMs);
    for (const [which, heard] of [
      [warm, heardWarm],
      [fresh, heardFresh],
    ]) {
      which.ms.push(heard - sentAt);
      which.diffs.push(Math.abs(result.facts.latencyMs - (heard - sentAt)));
    }
  }
  l.close();
  const line = (label, values, digits = 2) => `${label.padEnd(34)} p50 ${fmt(percentile(values, 0.5), digits)} ms  p95 ${fmt(percentile(values, 0.95), digits)} ms`;
  console.log(`measured ${probeMs.length} posts (${failed} not measured)`);
  console.log(line('probe latency', probeMs));
  console.log(line('warm listener latency', warm.ms));
  console.log(line('fresh listener latency', fresh.ms));
  console.log(`${line('|probe - warm listener|', warm.diffs, 3)}  (goal: p95 <= 2 ms)`);
  console.log(`${line('|probe - fresh listener|', fresh.diffs, 3)}  (same connection age as the probe's socket)`);
  console.log(`ratio p50 probe / warm listener: ${fmt(percentile(probeMs, 0.5) / percentile(warm.ms, 0.5), 2)}x`);
  return {measured: probeMs.length, failed, warmP95: percentile(warm.diffs, 0.95), freshP95: percentile(fresh.diffs, 0.95)};
}
