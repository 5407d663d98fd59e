// Packs the bridge as it is published: package.json, README.md, the built dist/ and an
// npm-shrinkwrap.json holding exactly the versions of the repository's package-lock.json for the
// bridge's production dependencies, so `npm install` of the tarball (an admin's, the image's) gets
// the tested tree and nothing newer. Usage: node server-bridge/scripts/pack.mjs <output folder>
import {execFileSync} from 'node:child_process';
import {chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

const bridge = path.resolve(import.meta.dirname, '..');
const root = path.dirname(bridge);
const out = path.resolve(process.argv[2] ?? path.join(root, 'dist'));
const pkg = JSON.parse(readFileSync(path.join(bridge, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
const home = path.basename(bridge);

/** Node's resolution in the lockfile's tree: the nearest node_modules/<name> from `from` up. */
function resolve(from, name) {
  for (let dir = from; ; dir = dir.includes('/node_modules/') ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : '') {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) throw new Error(`${name} (needed by ${from || 'the root'}) is not in package-lock.json`);
  }
}

const KEEP = [
  'version',
  'resolved',
  'integrity',
  'license',
  'dependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bin',
  'engines',
  'os',
  'cpu',
  'optional',
  'hasInstallScript',
  'funding',
];
const packages = {};
const queue = Object.keys(pkg.dependencies ?? {}).map((name) => [home, name]);
while (queue.length) {
  const [from, name] = queue.shift();
  const at = resolve(from, name);
  // In the published package the bridge is the root: its own nested node_modules move up a level.
  const target = at.startsWith(`${home}/`) ? at.slice(home.length + 1) : at;
  if (packages[target]) {
    if (packages[target].from !== at) throw new Error(`${target} is both ${packages[target].from} and ${at}: the tree cannot be flattened`);
    continue;
  }
  const entry = lock.packages[at];
  packages[target] = {from: at, entry: Object.fromEntries(KEEP.filter((k) => entry[k] !== undefined).map((k) => [k, entry[k]]))};
  const optionalPeers = new Set(
    Object.entries(entry.peerDependenciesMeta ?? {})
      .filter(([, m]) => m.optional)
      .map(([n]) => n),
  );
  for (const dep of Object.keys({...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies})) {
    if (optionalPeers.has(dep) && !entry.dependencies?.[dep]) continue;
    try {
      resolve(at, dep);
    } catch (err) {
      // An optional dependency for another platform, or a peer nobody installed, is not in the tree.
      if (entry.optionalDependencies?.[dep] || entry.peerDependencies?.[dep]) continue;
      throw err;
    }
    queue.push([at, dep]);
  }
}

const shrinkwrap = {
  name: pkg.name,
  version: pkg.version,
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': {name: pkg.name, version: pkg.version, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines},
    ...Object.fromEntries(
      Object.keys(packages)
        .sort()
        .map((k) => [k, packages[k].entry]),
    ),
  },
};

const stage = mkdtempSync(path.join(tmpdir(), 'hc-bridge-pack-'));
try {
  // What a user of the package needs: no build scripts, no devDependencies (npm ci of the package then matches its shrinkwrap).
  const published = Object.fromEntries(Object.entries(pkg).filter(([key]) => key !== 'scripts' && key !== 'devDependencies'));
  writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify(published, null, 2)}\n`);
  cpSync(path.join(bridge, 'README.md'), path.join(stage, 'README.md'));
  cpSync(path.join(bridge, 'dist'), path.join(stage, 'dist'), {recursive: true});
  // Runnable as it is unpacked (the image and `npm ci` in the unpacked package link it themselves).
  chmodSync(path.join(stage, 'dist/main.js'), 0o755);
  writeFileSync(path.join(stage, 'npm-shrinkwrap.json'), `${JSON.stringify(shrinkwrap, null, 2)}\n`);
  mkdirSync(out, {recursive: true});
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], {cwd: stage, encoding: 'utf8'}).trim().split('\n').pop();
  process.stdout.write(`${path.join(out, name)}\n`);
} finally {
  rmSync(stage, {recursive: true, force: true});
}
