// What the bridge adds to Mattermost's PostgreSQL (psql on the bench instance): per-table row
// changes and sizes, and the report posts' rows with retention, scaled to a day.
import {execFileSync} from 'node:child_process';
import {fmt} from './lib.mjs';

const DAY = 86_400;

function psql(mm, sql) {
  const db = `mmhc_${mm.MM_INSTANCE.replace(/[^a-zA-Z0-9]/g, '_')}`;
  return execFileSync('psql', ['-h', '127.0.0.1', '-p', mm.PG_PORT, '-U', 'mmhc', '-d', db, '-At', '-F', '\t', '-c', sql], {encoding: 'utf8', env: {...process.env, PGPASSWORD: 'mmhc'}})
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
}

export async function dbSnapshot(mm) {
  // Statistics reach pg_stat_user_tables shortly after each transaction; give them a moment.
  await new Promise((r) => setTimeout(r, 1500));
  const tables = new Map();
  for (const [name, ins, upd, del, live, size] of psql(mm, 'SELECT relname, n_tup_ins, n_tup_upd, n_tup_del, n_live_tup, pg_total_relation_size(relid) FROM pg_stat_user_tables')) {
    tables.set(name, {ins: Number(ins), upd: Number(upd), del: Number(del), live: Number(live), size: Number(size)});
  }
  const [[dbSize]] = psql(mm, 'SELECT pg_database_size(current_database())');
  return {tables, dbSize: Number(dbSize)};
}

export function storageDelta(before, after, seconds) {
  const scale = DAY / seconds;
  const rows = [];
  for (const [name, a] of after.tables) {
    const b = before.tables.get(name) ?? {ins: 0, upd: 0, del: 0, live: 0, size: 0};
    const d = {ins: a.ins - b.ins, upd: a.upd - b.upd, del: a.del - b.del, size: a.size - b.size};
    if (d.ins || d.upd || d.del) rows.push([name, d]);
  }
  rows.sort((x, y) => y[1].ins - y[1].del - (x[1].ins - x[1].del));
  console.log('  table                     inserted/day   deleted/day   updated/day   net rows/day');
  let net = 0;
  for (const [name, d] of rows) {
    net += d.ins - d.del;
    console.log(
      `  ${name.padEnd(24)} ${fmt(d.ins * scale, 0).padStart(13)} ${fmt(d.del * scale, 0).padStart(13)} ${fmt(d.upd * scale, 0).padStart(13)} ${fmt((d.ins - d.del) * scale, 0).padStart(14)}`,
    );
  }
  console.log(`  net rows per day (all tables): ${fmt(net * scale, 0)}`);
  console.log(
    `  database size change: ${fmt((after.dbSize - before.dbSize) / 1024, 0)} KB in ${fmt(seconds, 0)} s -> ${fmt(((after.dbSize - before.dbSize) * scale) / 2 ** 20, 1)} MB/day (page-granular, noisy over a short run; dead rows are reclaimed by autovacuum)`,
  );
}

/** Report posts: size of a row, rows per day at the default heartbeat, and the steady state with retention. */
export async function reportStorage(mm) {
  const [[count, avg]] = psql(mm, `SELECT count(*), coalesce(avg(pg_column_size(p.*)), 0) FROM posts p WHERE p.type = 'custom_healthcheck_report' AND p.channelid = '${mm.MM_LOG_CHANNEL_ID}'`);
  const perDay = DAY / 300;
  const bytes = Number(avg);
  console.log(`  report posts: ${count} rows seen, ${fmt(bytes / 1024, 1)} KB per row (1 target, 9 probes; TOAST-compressed)`);
  console.log(`  at the 5 min heartbeat: ${fmt(perDay, 0)} rows/day = ${fmt((perDay * bytes) / 2 ** 20, 2)} MB/day (+1 per state change)`);
  console.log(
    `  with 7 d retention (permanent deletion): steady state ${fmt(perDay * 7, 0)} rows = ${fmt((perDay * 7 * bytes) / 2 ** 20, 1)} MB; without permanent deletion the rows stay, marked deleted`,
  );
}
