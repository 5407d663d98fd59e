// Prints the folder-level import graph of server-bridge/src (product files, not tests) and exits 1
// on a cycle between folders. A file at the top of src/ is a node of its own (one concept each).
// Usage: node tests/tools/import-graph.mjs [src dir]
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {dirname, join, relative, resolve, sep} from 'node:path';

const root = resolve(process.argv[2] ?? join(import.meta.dirname, '../../server-bridge/src'));
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm;

function files(dir) {
  return readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return files(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The folder under src/ a file belongs to, or the file's own name for one at the top. */
function nodeOf(file) {
  const parts = relative(root, file).split(sep);
  const folder = parts.length > 1 || statSync(file, {throwIfNoEntry: false})?.isDirectory();
  return folder ? `${parts[0]}/` : parts[0].replace(/\.ts$/, '');
}

const edges = new Map();
for (const file of files(root)) {
  const from = nodeOf(file);
  for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const to = nodeOf(resolve(dirname(file), m[1]));
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from).add(to);
  }
}
const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])])].sort();

// Tarjan's strongly connected components: any with more than one node is a cycle.
let index = 0;
const seen = new Map();
const low = new Map();
const stack = [];
const cycles = [];
function visit(v) {
  seen.set(v, index);
  low.set(v, index++);
  stack.push(v);
  for (const w of edges.get(v) ?? []) {
    if (!seen.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (stack.includes(w)) low.set(v, Math.min(low.get(v), seen.get(w)));
  }
  if (low.get(v) === seen.get(v)) {
    const scc = [];
    let w;
    do scc.unshift((w = stack.pop()));
    while (w !== v);
    if (scc.length > 1) cycles.push(scc.sort());
  }
}
for (const v of nodes) if (!seen.has(v)) visit(v);

console.log(`import graph of ${relative(process.cwd(), root) || '.'} (folder -> folders it imports):`);
for (const v of nodes) console.log(`  ${v.padEnd(18)} -> ${[...(edges.get(v) ?? [])].sort().join(', ') || '(nothing)'}`);
if (cycles.length === 0) {
  console.log('no cycle between folders');
} else {
  for (const c of cycles) console.error(`cycle: ${c.join(' <-> ')}`);
  process.exitCode = 1;
}
