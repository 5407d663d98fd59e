// Several bridges' PostgreSQL store in e2e tests: a cluster of its own beside Mattermost's (started
// and stopped by the script that does Mattermost's), so the store can be restarted alone; a query
// against it, and a fresh database in it.
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {Client} from 'pg';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const {instanceEnv} = require('./instance') as {instanceEnv(): Record<string, string>};

export const STORE_PORT = Number(instanceEnv().PG_PORT) + 40;

export function storeCluster(action: 'start' | 'stop'): void {
  const env = {...process.env, MM_INSTANCE: instanceEnv().MM_INSTANCE, PG_PORT: String(STORE_PORT), PG_CLUSTER: 'store-pg'};
  execFileSync('bash', [path.resolve(__dirname, '../mattermost/pg-control.sh'), action], {env, stdio: ['ignore', 'ignore', 'inherit']});
}

export async function storeSql<T extends Record<string, unknown>>(db: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new Client({connectionString: `postgres://postgres@127.0.0.1:${STORE_PORT}/${db}`});
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/** Drops and creates the database; its URL for HEALTHCHECK_STORE. */
export async function freshStoreDatabase(db: string): Promise<string> {
  await storeSql('postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await storeSql('postgres', `CREATE DATABASE ${db}`);
  return `postgres://postgres@127.0.0.1:${STORE_PORT}/${db}`;
}
