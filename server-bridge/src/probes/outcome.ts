// Collects a probe run's checks and facts and turns them into a ProbeResult, on one monotonic clock.
import type {Check, ProbeContext, ProbeResult, Requirement} from './types';

type Fact = string | number | boolean | null;

export class ProbeRun {
  readonly checks: Check[] = [];
  readonly facts: Record<string, Fact> = {};
  private readonly startedAt = Date.now();
  private readonly t0 = performance.now();

  constructor(
    private readonly probe: string,
    private readonly ctx: ProbeContext,
  ) {}

  /** Records one condition; returns whether it held, so callers can stop at the first failure. */
  check(label: string, ok: boolean, observed: string, expected: string): boolean {
    this.checks.push({label, ok, observed, expected});
    return ok;
  }

  fact(name: string, value: Fact): void {
    this.facts[name] = value;
  }

  /** Milliseconds since the run started (performance.now()). */
  elapsedMs(): number {
    return performance.now() - this.t0;
  }

  /** The result: ok only when there is at least one check and every check held. */
  finish(): ProbeResult {
    const failed = this.checks.find((c) => !c.ok);
    const result: ProbeResult = {
      probe: this.probe,
      target: this.ctx.target.name,
      ok: this.checks.length > 0 && !failed,
      durationMs: this.elapsedMs(),
      startedAt: this.startedAt,
      checks: this.checks,
    };
    if (failed) result.error = `${failed.label}: ${failed.observed} (expected ${failed.expected})`;
    else if (this.checks.length === 0) result.error = 'the probe made no check';
    if (Object.keys(this.facts).length > 0) result.facts = this.facts;
    return result;
  }

  /** A run that did not happen because settings are missing: neither a success nor a failure. */
  notConfigured(missing: readonly string[]): ProbeResult {
    return {
      probe: this.probe,
      target: this.ctx.target.name,
      ok: false,
      durationMs: 0,
      startedAt: this.startedAt,
      checks: [],
      notConfigured: [...missing],
    };
  }
}

const REQUIREMENT_SETTINGS: Record<Requirement, (t: ProbeContext['target']) => string[]> = {
  botToken: (t) => (t.botToken ? [] : ['botToken']),
  adminToken: (t) => (t.adminToken ? [] : ['adminToken']),
  probeUser: (t) => [...(t.probeUsername ? [] : ['probeUsername']), ...(t.probePassword ? [] : ['probePassword'])],
  probeChannel: (t) => (t.probeChannel ? [] : ['probeChannel']),
  team: (t) => (t.team ? [] : ['team']),
  pushDevice: (t) => (t.pushDeviceId ? [] : ['pushDeviceId']),
};

/** The target settings a probe needs that are missing, by their TargetSettings names. */
export function missingSettings(target: ProbeContext['target'], needs: readonly Requirement[]): string[] {
  return needs.flatMap((need) => REQUIREMENT_SETTINGS[need](target));
}
