/** @jest-environment node */
// The bundle budget: builds the plugin with its real webpack config into a temporary directory and
// fails above main.js ≤ 10 KB gzip and all of dist ≤ 62 KB gzip; prints every file's size.
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import webpack from 'webpack';

const KB = 1024;
// The entry holds registrations, lazy wrappers, the trusted-bot resolver, the slash hook's trigger and its own few words.
const MAIN_BUDGET = 10 * KB;
// 62 KB: the objectives' table and budget chart (panel, chart chunks) and the status page's 90-day strips (issue 24) added 1.6 KB, none of it in main.js.
const TOTAL_BUDGET = 62 * KB;

function build(outDir: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the CommonJS config webpack itself reads
  const config = require('../webpack.config.js') as webpack.Configuration;
  return new Promise((resolve, reject) => {
    webpack({...config, mode: 'production', output: {...config.output, path: outDir}}, (err, stats) => {
      if (err) return reject(err);
      if (stats?.hasErrors()) return reject(new Error(stats.toString({all: false, errors: true})));
      resolve();
    });
  });
}

describe('bundle size', () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'healthcheck-webapp-'));
  afterAll(() => rmSync(outDir, {recursive: true, force: true}));

  it('stays within budget: main.js ≤ 10 KB gzip, all of dist ≤ 62 KB gzip', async () => {
    await build(outDir);
    const files = readdirSync(outDir).map((name) => {
      const raw = readFileSync(path.join(outDir, name));
      return {name, bytes: raw.length, gzip: gzipSync(raw).length};
    });
    const main = files.find((f) => f.name === 'main.js');
    const total = files.reduce((sum, f) => sum + f.gzip, 0);
    const lines = files.map((f) => `  ${f.name.padEnd(28)} ${String(f.bytes).padStart(7)} B  ${(f.gzip / KB).toFixed(2).padStart(6)} KB gzip`);
    console.log(
      `webapp bundle sizes:\n${lines.join('\n')}\n  main.js ${((main?.gzip ?? 0) / KB).toFixed(2)} / ${MAIN_BUDGET / KB} KB gzip; total ${(total / KB).toFixed(2)} / ${TOTAL_BUDGET / KB} KB gzip`,
    );
    expect(main).toBeDefined();
    // The lazy chunks exist: panel, chart and cards do not ride in main.js.
    expect(files.filter((f) => f.name !== 'main.js' && f.name.endsWith('.js')).length).toBeGreaterThanOrEqual(3);
    expect(main?.gzip ?? Infinity).toBeLessThanOrEqual(MAIN_BUDGET);
    expect(total).toBeLessThanOrEqual(TOTAL_BUDGET);
  }, 180_000);
});
