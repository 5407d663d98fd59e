// `cluster`: GET /cluster/status with the admin token; every node runs the same version with the
// same configuration. A server that is not a cluster (Team Edition, no licence) answers []: the
// check says so and holds, it is never a failure.
import type {MmClusterInfo} from '../mm/types';
import {describeFailure} from './failure';
import {ProbeRun} from './outcome';
import type {ProbeContext, ProbeDefinition, ProbeResult} from './types';

const NOT_A_CLUSTER = 'not applicable: the server reports no cluster nodes (Team Edition or no High Availability licence)';

/** "node-a 11.4.0, node-b 11.3.1": which node says what. */
const byNode = (nodes: readonly MmClusterInfo[], field: 'version' | 'config_hash') => nodes.map((n) => `${n.hostname || n.id} ${String(n[field]).slice(0, 16)}`).join(', ');

export async function runCluster(ctx: ProbeContext): Promise<ProbeResult> {
  const run = new ProbeRun('cluster', ctx);
  const token = ctx.target.adminToken;
  if (!token) return run.notConfigured(['adminToken']);
  try {
    const nodes = await ctx.client.get<MmClusterInfo[]>('/cluster/status', {token, signal: ctx.signal});
    if (!Array.isArray(nodes) || nodes.length === 0) {
      run.fact('clusterNodes', 0);
      run.check('cluster', true, NOT_A_CLUSTER, 'nodes that agree, or no cluster');
      return run.finish();
    }
    run.fact('clusterNodes', nodes.length);
    const versions = new Set(nodes.map((n) => n.version));
    const hashes = new Set(nodes.map((n) => n.config_hash));
    run.check('same version', versions.size === 1, versions.size === 1 ? `${[...versions][0]} on ${nodes.length} nodes` : byNode(nodes, 'version'), 'one version on every node');
    run.check('same config', hashes.size === 1, hashes.size === 1 ? `one config hash on ${nodes.length} nodes` : byNode(nodes, 'config_hash'), 'one config hash on every node');
  } catch (err) {
    run.check('cluster', false, describeFailure(ctx, err), 'GET /cluster/status answers');
  }
  return run.finish();
}

export const cluster: ProbeDefinition = {
  name: 'cluster',
  description: 'GET /cluster/status: every node runs one version with one configuration (not applicable without a cluster)',
  needs: ['adminToken'],
  defaultIntervalMs: 300_000,
  defaultTimeoutMs: 15_000,
  run: runCluster,
};
