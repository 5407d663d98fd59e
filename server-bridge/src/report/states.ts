// The state of each probe+target as a report shows it. The incident tracker (hysteresis) can
// stand in for LatestStates through the StateSource seam; LatestStates follows the last run.
import type {ProbeState} from '../contract/report';
import type {ProbeResult} from '../probes/types';

export interface StateView {
  state: ProbeState;
  /** When this state began (ms since epoch); null when unknown. */
  since: number | null;
}

export interface StateSource {
  stateOf(probe: string, target: string): StateView;
}

export function stateOfResult(result: ProbeResult | undefined): ProbeState {
  if (!result) return 'unknown';
  if (result.notConfigured) return 'not_configured';
  return result.ok ? 'ok' : 'failing';
}

/** Without hysteresis: the state is that of the latest run. */
export class LatestStates implements StateSource {
  private readonly states = new Map<string, StateView>();

  observe(result: ProbeResult): void {
    const key = `${result.target}/${result.probe}`;
    const state = stateOfResult(result);
    if (this.states.get(key)?.state !== state) this.states.set(key, {state, since: result.startedAt});
  }

  stateOf(probe: string, target: string): StateView {
    return this.states.get(`${target}/${probe}`) ?? {state: 'unknown', since: null};
  }
}
