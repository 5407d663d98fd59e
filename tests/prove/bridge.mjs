// The bridge under test as a real process (dist/main.js run) with a state file, so a round can
// SIGKILL it and start it again on the same state.
import {spawn} from 'node:child_process';
import {appendFileSync, existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {sleep} from './faults.mjs';

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../server-bridge/dist/main.js');

export function bridgeEnv(mm, settings, stateFile) {
  return {
    PATH: process.env.PATH,
    HEALTHCHECK_MM_URL: mm.MM_URL,
    HEALTHCHECK_TARGET_NAME: 'prove',
    HEALTHCHECK_TEAMS: mm.MM_TEAM,
    HEALTHCHECK_BOT_TOKEN: mm.MM_BOT_TOKEN,
    HEALTHCHECK_ADMIN_TOKEN: mm.MM_ADMIN_TOKEN,
    HEALTHCHECK_PROBE_USERNAME: mm.MM_PROBE_USERNAME,
    HEALTHCHECK_PROBE_PASSWORD: mm.MM_PROBE_PASSWORD,
    HEALTHCHECK_PROBE_CHANNEL: mm.MM_PROBE_CHANNEL,
    HEALTHCHECK_OPS_CHANNEL: mm.MM_OPS_CHANNEL,
    HEALTHCHECK_LOG_CHANNEL: mm.MM_LOG_CHANNEL,
    HEALTHCHECK_LISTEN: '127.0.0.1:0',
    HEALTHCHECK_STATE_FILE: stateFile,
    HEALTHCHECK_PROBES: 'ping,login_page,login,websocket,post_roundtrip,channel_join',
    HEALTHCHECK_LOG_LEVEL: 'info',
    ...settings,
  };
}

export class BridgeProcess {
  constructor(env, logFile) {
    this.env = env;
    this.logFile = logFile;
    this.child = null;
  }

  async start() {
    const child = spawn(process.execPath, [main, 'run'], {env: this.env, stdio: ['ignore', 'pipe', 'pipe']});
    let out = '';
    const keep = (d) => {
      out += d;
      this.out = out;
      appendFileSync(this.logFile, d);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => child.on('exit', resolve));
    this.child = child;
    for (let i = 0; !out.includes('bridge listening'); i++) {
      if (child.exitCode !== null || i > 600) throw new Error(`the bridge did not start (log: ${this.logFile})`);
      await sleep(50);
    }
  }

  /** What the current process wrote so far. */
  log() {
    return this.out ?? '';
  }

  async stop(signal = 'SIGTERM') {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill(signal);
    await this.exited;
  }

  /** The state file as the bridge last wrote it (null before its first write). */
  state() {
    const file = this.env.HEALTHCHECK_STATE_FILE;
    try {
      return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
    } catch {
      return null;
    }
  }
}
