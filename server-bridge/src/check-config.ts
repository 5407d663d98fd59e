// `check-config`: the settings validated exactly as `run` validates them, contacting nothing.
import {loadConfig, type LoadResult, type ReadFile} from './config';
import {sloRules} from './slo/rules';

type Line = (line: string) => void;

/** Prints the warnings and, when the settings are invalid, every problem; true when valid. */
export function reportLoad(loaded: LoadResult, err: Line): loaded is Extract<LoadResult, {ok: true}> {
  for (const w of loaded.warnings) err(`warning: ${w}`);
  if (loaded.ok) return true;
  err('invalid configuration:');
  for (const p of loaded.problems) err(`  ${p}`);
  return false;
}

export function checkConfig(env: NodeJS.ProcessEnv, readFile: ReadFile, out: Line, err: Line): number {
  const loaded = loadConfig(env, readFile);
  if (!reportLoad(loaded, err)) return 2;
  const {config} = loaded;
  const probes = config.probes.filter((p) => p.enabled).map((p) => p.name);
  out(`configuration OK`);
  for (const t of config.targets) out(`  target ${t.name}: ${t.url} (team ${t.team})`);
  out(`  probes: ${probes.join(', ')}`);
  out(`  listens on ${config.listen.host}:${config.listen.port}`);
  out(`  /metrics on ${config.metricsListen ? `${config.metricsListen.host}:${config.metricsListen.port}` : 'the same address'}`);
  out(`  state file: ${config.stateFile ?? 'none (incidents and undelivered posts are lost on restart)'}`);
  out(`  objectives: ${config.slos.length ? config.slos.map((s) => `${s.name} ${Number((s.objective * 100).toFixed(3))} %`).join(', ') : 'none'}`);
  return 0;
}

/** `slo-rules`: the Prometheus rules of the configured objectives, from the same settings as run. */
export function sloRulesCommand(env: NodeJS.ProcessEnv, readFile: ReadFile, out: Line, err: Line): number {
  const loaded = loadConfig(env, readFile);
  if (!reportLoad(loaded, err)) return 2;
  out(sloRules(loaded.config.slos).trimEnd());
  return 0;
}
