// The one map of probe name → probe; config validation takes the allowed names from PROBE_NAMES.
import {ping} from './ping';
import type {ProbeDefinition} from './types';

export const probeRegistry = {
  ping,
} as const satisfies Readonly<Record<string, ProbeDefinition>>;

export type ProbeName = keyof typeof probeRegistry;

/** The probe names, in registry order; a non-empty tuple so z.enum(PROBE_NAMES) works. */
export const PROBE_NAMES = Object.keys(probeRegistry) as [ProbeName, ...ProbeName[]];

export function isProbeName(name: string): name is ProbeName {
  return Object.prototype.hasOwnProperty.call(probeRegistry, name);
}
