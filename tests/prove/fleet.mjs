// make prove with several bridges (PROVE_BRIDGES=3): bridge processes sharing a PostgreSQL store of
// their own (a cluster apart from Mattermost's, so it can be restarted alone), each reaching
// Mattermost through a proxy of its own that a round can cut.
import {execFileSync} from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import pg from 'pg';
import {BridgeProcess, bridgeEnv} from './bridge.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The store's cluster, by the script that stops and starts Mattermost's (a cluster folder of its own). */
export function storeCluster(instance, port, action) {
  const env = {...process.env, MM_INSTANCE: instance, PG_PORT: String(port), PG_CLUSTER: 'store-pg'};
  execFileSync('bash', [path.join(repo, 'tests/mattermost/pg-control.sh'), action], {env, stdio: ['ignore', 'ignore', 'inherit']});
}

export async function sql(url, text, values = []) {
  const c = new pg.Client({connectionString: url, connectionTimeoutMillis: 3000});
  await c.connect();
  try {
    return (await c.query(text, values)).rows;
  } finally {
    await c.end();
  }
}

/** A pass-through to Mattermost that can be cut (new connections refused, open ones destroyed). */
async function cuttable(port) {
  const open = new Set();
  let blocked = false;
  const server = net.createServer((client) => {
    if (blocked) return client.destroy();
    const upstream = net.connect(port, '127.0.0.1');
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop).pipe(upstream);
    upstream.on('error', drop).on('close', drop).pipe(client);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    setBlocked(b) {
      blocked = b;
      if (b) for (const s of open) s.destroy();
    },
    close: () => new Promise((r) => server.close(r)),
  };
}

export class Fleet {
  constructor(mm, settings, dir, count, storeUrl) {
    this.mm = mm;
    this.settings = settings;
    this.dir = dir;
    this.count = count;
    this.storeUrl = storeUrl;
    this.members = [];
  }

  async start() {
    const db = new URL(this.storeUrl).pathname.slice(1);
    await sql(this.storeUrl.replace(/\/[^/]+$/, '/postgres'), `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await sql(this.storeUrl.replace(/\/[^/]+$/, '/postgres'), `CREATE DATABASE ${db}`);
    const mmPort = Number(new URL(this.mm.MM_URL).port);
    for (let i = 1; i <= this.count; i++) {
      const name = `bridge-${i}`;
      const proxy = await cuttable(mmPort);
      const env = bridgeEnv(this.mm, {...this.settings, HEALTHCHECK_MM_URL: proxy.url, HEALTHCHECK_TARGET_NAME: 'prove', HEALTHCHECK_STORE: this.storeUrl, HEALTHCHECK_INSTANCE: name}, '');
      delete env.HEALTHCHECK_STATE_FILE;
      this.members.push({name, proxy, process: new BridgeProcess(env, path.join(this.dir, `${name}.log`))});
    }
    // All at once, on an empty database.
    await Promise.all(this.members.map((m) => m.process.start()));
  }

  async leader() {
    const rows = await sql(this.storeUrl, "SELECT holder, epoch::int AS epoch FROM hc_lease WHERE name = 'leader' AND expires_at > now()").catch(() => []);
    const row = rows[0];
    return row ? {...row, member: this.members.find((m) => m.name === row.holder)} : null;
  }

  async openIncidents() {
    const rows = await sql(this.storeUrl, 'SELECT count(*)::int AS n FROM hc_incidents WHERE open').catch(() => [{n: 1}]);
    return rows[0]?.n ?? 0;
  }

  async healthyTrackers() {
    const rows = await sql(this.storeUrl, "SELECT count(*)::int AS n FROM hc_trackers WHERE row->>'state' = 'ok'").catch(() => [{n: 0}]);
    return rows[0]?.n ?? 0;
  }

  async stop(signal = 'SIGTERM') {
    for (const m of this.members) {
      await m.process.stop(signal);
      await m.proxy.close();
    }
  }
}
