// The short variant of make prove inside the suite: a killed server, a frozen one, the bridge
// SIGKILLed while it delivers and within 100 ms of its root appearing, each against the real server and the bridge process; every
// incident posted exactly once with its recovery in its thread.
import {execFile} from 'node:child_process';
import path from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const {instanceEnv} = require('../lib/instance') as {instanceEnv(): Record<string, string>};

interface Row {
  kind: string;
  expected: number;
  posted: number;
  duplicates: number;
  lostRecoveries: number;
  rootEdits: number;
  recoveryS: number | null;
}

it(
  'four fault rounds: one incident each, no duplicate, every recovery in its thread',
  async () => {
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        [path.join(__dirname, '../prove/prove.mjs')],
        {env: {...process.env, ...instanceEnv(), PROVE_PLAN: 'mm-kill:1,mm-freeze:1,bridge-kill-delivering:1,bridge-kill-after-root:1', PROVE_JSON: '1'}, timeout: 14 * 60_000},
        (err, stdout, stderr) => (stdout.includes('PROVE_JSON ') ? resolve(stdout) : reject(new Error(`${String(err)}\n${stdout}\n${stderr}`))),
      );
    });
    // The table, for a failure's reader.
    console.log(
      out
        .split('\n')
        .filter((l) => /^(round|all|\d+)\s/.test(l))
        .join('\n'),
    );
    const json = JSON.parse(
      out
        .split('\n')
        .find((l) => l.startsWith('PROVE_JSON '))
        ?.slice('PROVE_JSON '.length) ?? '{}',
    ) as {ok: boolean; rows: Row[]};
    expect(json.rows.map((r) => ({kind: r.kind, posted: r.posted, duplicates: r.duplicates, lost: r.lostRecoveries}))).toEqual(
      ['mm-kill', 'mm-freeze', 'bridge-kill-delivering', 'bridge-kill-after-root'].map((kind) => ({kind, posted: 1, duplicates: 0, lost: 0})),
    );
    // One edit per burst, never once per probe: when probes join, once when resolved, and once more
    // when a create held by a frozen server lands with older content than the root has now (revisions).
    for (const r of json.rows) expect(r.rootEdits).toBeLessThanOrEqual(3);
    expect(json.ok).toBe(true);
  },
  15 * 60_000,
);
