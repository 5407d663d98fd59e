// /healthcheck end to end: POST /api/v4/commands/execute on the bench server for the bridge's
// command (dist/main.js run, registered by the bridge itself) against a stand-in custom command
// registered the same way that answers "ok" at once; same run, interleaved, after a warm-up.
// Once with one target, once with the same server listed 50 times (4 probes each). A second
// stand-in answers the bridge's own text at once: what the server spends on the answer's content.
import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {api, bridgeVars, fmt, heading, instanceEnv, percentile, sleep} from './lib.mjs';

const RUNS = Number(process.env.BENCH_SLASH_RUNS || 1000);
const WARMUP = 20;
const here = path.dirname(fileURLToPath(import.meta.url));
const bridgeMain = path.resolve(here, '../../server-bridge/dist/main.js');
const mm = instanceEnv();

async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startStandin(text = 'ok') {
  const child = spawn(process.execPath, [path.join(here, 'standin-command.mjs')], {env: {...process.env, STANDIN_TEXT: text}, stdio: ['ignore', 'pipe', 'inherit']});
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  return {url: `http://127.0.0.1:${port}/`, stop: () => child.kill('SIGTERM')};
}

async function startBridge(trigger, extraVars) {
  const port = await freePort();
  const vars = bridgeVars(mm, {
    HEALTHCHECK_LISTEN: `127.0.0.1:${port}`,
    HEALTHCHECK_PUBLIC_URL: `http://127.0.0.1:${port}`,
    HEALTHCHECK_SLASH_TRIGGER: trigger,
    HEALTHCHECK_INTERVAL: '60s',
    ...extraVars,
  });
  const child = spawn(process.execPath, [bridgeMain, 'run'], {env: {PATH: process.env.PATH, ...vars}, stdio: ['ignore', 'pipe', 'pipe']});
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const team = await api(mm, 'GET', `/teams/name/${mm.MM_TEAM}`);
  const registered = async () => (await api(mm, 'GET', `/commands?team_id=${team.id}&custom_only=true`)).some((c) => c.trigger === trigger && c.url.startsWith(`http://127.0.0.1:${port}/`));
  const deadline = performance.now() + 120_000;
  while (!out.includes('first probe cycle done') || !(await registered())) {
    if (child.exitCode !== null) throw new Error(`the bridge exited: ${out.slice(-2000)}`);
    if (performance.now() > deadline) throw new Error(`the bridge did not register /${trigger}: ${out.slice(-2000)}`);
    await sleep(200);
  }
  return {
    team,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      for (const c of await api(mm, 'GET', `/commands?team_id=${team.id}&custom_only=true`)) if (c.trigger === trigger) await api(mm, 'DELETE', `/commands/${c.id}`);
    },
  };
}

/** One /command through the server, timed from the request to the answer's last byte. */
async function execute(trigger, expect) {
  const t0 = performance.now();
  const answer = await api(mm, 'POST', '/commands/execute', {command: `/${trigger}`, channel_id: mm.MM_LOG_CHANNEL_ID});
  const ms = performance.now() - t0;
  if (!String(answer?.text ?? '').includes(expect)) throw new Error(`/${trigger} answered ${JSON.stringify(answer).slice(0, 300)}`);
  return {ms, text: String(answer.text)};
}

async function compare(label, extraVars) {
  const trigger = `hcb${randomBytes(3).toString('hex')}`;
  const standinTrigger = `hcs${randomBytes(3).toString('hex')}`;
  const standin = await startStandin();
  const bridge = await startBridge(trigger, extraVars);
  const same = await startStandin((await execute(trigger, 'Mattermost health')).text);
  const sameTrigger = `${standinTrigger}x`;
  const cmds = [];
  for (const [t, url] of [
    [standinTrigger, standin.url],
    [sameTrigger, same.url],
  ])
    cmds.push(await api(mm, 'POST', '/commands', {team_id: bridge.team.id, trigger: t, method: 'P', url, display_name: 'stand-in', username: 'standin'}));
  try {
    const kinds = [
      {name: `/healthcheck (${label})`, run: () => execute(trigger, 'Mattermost health'), ms: []},
      {name: 'stand-in command', run: () => execute(standinTrigger, 'ok'), ms: []},
      {name: 'stand-in with the same text', run: () => execute(sameTrigger, 'Mattermost health'), ms: []},
    ];
    for (let i = 0; i < WARMUP; i++) for (const k of kinds) await k.run();
    // Interleaved, the order turned every round, so drift in the server's load hits all alike.
    for (let i = 0; i < RUNS; i++)
      for (let j = 0; j < kinds.length; j++) {
        const k = kinds[(i + j) % kinds.length];
        k.ms.push((await k.run()).ms);
      }
    for (const k of kinds) console.log(`${k.name.padEnd(34)} p50 ${fmt(percentile(k.ms, 0.5), 2)} ms  p95 ${fmt(percentile(k.ms, 0.95), 2)} ms`);
    const [own, base, text] = kinds;
    const ratio = (a, b) => `p50 ${fmt(percentile(a.ms, 0.5) / percentile(b.ms, 0.5), 2)}x  p95 ${fmt(percentile(a.ms, 0.95) / percentile(b.ms, 0.95), 2)}x`;
    console.log(`  ratio /healthcheck / stand-in: ${ratio(own, base)}  (goal: p95 <= 1.2x)`);
    console.log(`  ratio /healthcheck / stand-in with the same text: ${ratio(own, text)}  (the bridge's own share: goal p95 <= 1.2x)`);
    console.log(`  the server's cost of the answer's text: stand-in with the same text / stand-in: ${ratio(text, base)}`);
  } finally {
    for (const cmd of cmds) await api(mm, 'DELETE', `/commands/${cmd.id}`).catch(() => undefined);
    await bridge.stop();
    standin.stop();
    same.stop();
  }
}

export async function main() {
  heading(`/healthcheck end to end through POST /api/v4/commands/execute vs a stand-in command (${RUNS} each, interleaved, ${WARMUP} warm-up)`);
  await compare('1 target', {HEALTHCHECK_TARGET_NAME: 'bench'});
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hc-bench-slash-'));
  try {
    const file = path.join(dir, 'targets.json');
    writeFileSync(file, JSON.stringify({targets: Array.from({length: 50}, (_, i) => ({name: `t${String(i + 1).padStart(2, '0')}`}))}));
    await compare('50 targets', {HEALTHCHECK_CONFIG_FILE: file, HEALTHCHECK_PROBES: 'ping,login_page,websocket,search_users'});
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}
