// Who really asked: a button click, or a /healthcheck subcommand that acts, is taken only with a
// trigger_id the server signed for the form's user_id, recent, and never seen before (by buttons
// or commands: one guard for both). Without the server's key nothing is taken: fail closed.
import type {KeyObject} from 'node:crypto';
import {Counter, type Registry} from 'prom-client';
import {describeError} from '../mm/errors';
import type {ReplayGuard} from './replay-guard';
import {verifyTriggerId} from './trigger-id';

export const PROOF_SOURCES = ['button', 'slash'] as const;
export type ProofSource = (typeof PROOF_SOURCES)[number];
/** unavailable: the server's key could not be had; invalid: signature, user or age; replay: seen before. */
export const PROOF_REFUSALS = ['unavailable', 'invalid', 'stale', 'replay'] as const;
export type ProofRefusal = (typeof PROOF_REFUSALS)[number];

/**
 * How old (or new: clocks differ) a trigger_id may be. A command's request leaves the server within
 * milliseconds of its signing (and must be answered within 30 s), so a command's window is short:
 * a trigger_id another integration received (a button or command of its own) is refused sooner.
 */
export const TRIGGER_MAX_AGE_MS: Record<ProofSource, number> = {button: 5 * 60_000, slash: 60_000};

export type Proof = {ok: true; clientTriggerId: string} | {ok: false; why: ProofRefusal; reason: string};

export interface TriggerGuardOptions {
  /** The server's trigger_id key; null when it publishes none. */
  signingKey: () => Promise<KeyObject | null>;
  replays: ReplayGuard;
  /** How old a trigger_id of each source may be (default TRIGGER_MAX_AGE_MS). */
  maxAgeMs?: Record<ProofSource, number>;
  /** Persists the replay guard after each accepted request. */
  save: (now: number) => void;
  /** Several bridges: the replay memory they share (true the first time an id is seen by any of them). */
  shared?: (id: string, until: number) => Promise<boolean>;
  registry?: Registry;
  log?: {warn(msg: string, f?: Record<string, unknown>): void};
}

const METRIC = 'healthcheck_bridge_unproven_requests_total';

function refusedCounter(registry: Registry | undefined): Counter<'source' | 'reason'> | null {
  if (!registry) return null;
  const existing = registry.getSingleMetric(METRIC) as Counter<'source' | 'reason'> | undefined;
  if (existing) return existing;
  const counter = new Counter({
    name: METRIC,
    help: 'Button clicks and acting /healthcheck requests refused because the server-signed trigger_id was missing, invalid, stale, replayed, or could not be checked (reason unavailable)',
    labelNames: ['source', 'reason'],
    registers: [registry],
  });
  for (const source of PROOF_SOURCES) for (const reason of PROOF_REFUSALS) counter.inc({source, reason}, 0);
  return counter;
}

export class TriggerGuard {
  private readonly refused: Counter<'source' | 'reason'> | null;

  constructor(private readonly o: TriggerGuardOptions) {
    this.refused = refusedCounter(o.registry);
  }

  /** Accepts a request once, for the user the server signed it for, within its source's age of its signing. */
  async check(source: ProofSource, triggerId: unknown, userId: string, now: number): Promise<Proof> {
    const ages = this.o.maxAgeMs ?? TRIGGER_MAX_AGE_MS;
    const maxAgeMs = ages[source];
    let key: KeyObject | null;
    try {
      key = await this.o.signingKey();
    } catch (err) {
      this.o.log?.warn(`${source}: refused: the server's trigger_id signing key could not be read, so who asked cannot be checked`, {error: describeError(err)});
      return this.refuse(source, 'unavailable', 'the server signing key could not be read');
    }
    if (!key) {
      this.o.log?.warn(`${source}: refused: the server publishes no trigger_id signing key (AsymmetricSigningPublicKey), so who asked cannot be checked`);
      return this.refuse(source, 'unavailable', 'the server publishes no signing key');
    }
    const check = verifyTriggerId(triggerId, key, userId, now, maxAgeMs);
    if (!check.ok) {
      this.o.log?.warn(`${source}: refused a request whose trigger_id does not verify`, {reason: check.reason});
      return this.refuse(source, check.reason === 'trigger_id is too old' ? 'stale' : 'invalid', check.reason);
    }
    // Remembered until it could no longer pass any source's age check: a click's id is no command's.
    const longest = Math.max(...Object.values(ages));
    const until = check.trigger.at + 2 * longest;
    if (!this.o.replays.accept(check.trigger.clientTriggerId, until, now)) {
      this.o.log?.warn(`${source}: refused a replayed trigger_id`);
      return this.refuse(source, 'replay', 'this trigger_id was used before');
    }
    // Another bridge behind the same URL may have taken it; without the shared memory, fail closed.
    const first = this.o.shared ? await this.o.shared(check.trigger.clientTriggerId, until).catch(() => null) : true;
    if (first === null) return this.refuse(source, 'unavailable', 'the shared replay memory (the store) could not be reached');
    if (!first) {
      this.o.log?.warn(`${source}: refused a trigger_id another bridge took`);
      return this.refuse(source, 'replay', 'this trigger_id was used before');
    }
    this.o.save(now);
    return {ok: true, clientTriggerId: check.trigger.clientTriggerId};
  }

  private refuse(source: ProofSource, why: ProofRefusal, reason: string): Proof {
    this.refused?.inc({source, reason: why});
    return {ok: false, why, reason};
  }
}
