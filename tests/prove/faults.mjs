// The faults a round applies to the real server on loopback, by the process ids its scripts keep:
// Mattermost killed and restarted, frozen (SIGSTOP) and thawed, its PostgreSQL stopped and started.
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

const scripts = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../mattermost');

export function runDir(instance) {
  const cache = process.env.HEALTHCHECK_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'mattermost-healthcheck');
  return path.join(cache, 'run', instance);
}

export function readEnv(instance) {
  const env = {};
  for (const line of readFileSync(path.join(runDir(instance), 'env'), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2];
  }
  return env;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function faults(instance, ports) {
  const env = {...process.env, MM_INSTANCE: instance, MM_PORT: String(ports.mm), PG_PORT: String(ports.pg)};
  const pid = () => Number(readFileSync(path.join(runDir(instance), 'mattermost.pid'), 'utf8'));
  const alive = (p) => {
    try {
      process.kill(p, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    /** SIGKILL: no goodbye to clients, as a crash or an OOM kill. */
    async killMattermost() {
      const p = pid();
      process.kill(p, 'SIGKILL');
      while (alive(p)) await sleep(50);
    },
    /** serve.sh restarts it on the same data and returns once it answers ping. */
    startMattermost() {
      execFileSync('bash', [path.join(scripts, 'serve.sh')], {stdio: ['ignore', 'ignore', 'inherit'], env});
    },
    freeze: () => process.kill(pid(), 'SIGSTOP'),
    thaw: () => process.kill(pid(), 'SIGCONT'),
    postgres(action) {
      execFileSync('bash', [path.join(scripts, 'pg-control.sh'), action], {stdio: ['ignore', 'ignore', 'inherit'], env});
    },
  };
}
