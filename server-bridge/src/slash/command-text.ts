// What the user typed after /healthcheck, as one of the subcommands; anything else is help.
import {parseDuration} from '../config/duration';
import {markdownLiteral} from '../text/markdown';

export type SlashRequest =
  | {kind: 'status'}
  | {kind: 'run'}
  | {kind: 'history'; probe: string | null}
  | {kind: 'mute'; durationMs: number; probe: string | null}
  | {kind: 'unmute'}
  | {kind: 'ack'; incident: string | null}
  | {kind: 'slo'}
  | {kind: 'slo-report'}
  | {kind: 'slo-ack'; slo: string | null}
  | {kind: 'help'; problem?: string};

/** Mutes longer than this are refused: a forgotten mute hides real incidents. */
export const MAX_MUTE_MS = 7 * 86_400_000;

export function parseCommandText(text: string, knownProbes: readonly string[]): SlashRequest {
  const [word = 'status', ...args] = text.trim().split(/\s+/).filter(Boolean);
  const probeArg = (value: string | undefined): {ok: true; probe: string | null} | {ok: false; problem: string} => {
    if (value === undefined) return {ok: true, probe: null};
    if (knownProbes.includes(value)) return {ok: true, probe: value};
    return {ok: false, problem: `unknown probe ${markdownLiteral(value)}; known probes: ${knownProbes.join(', ')}`};
  };
  switch (word.toLowerCase()) {
    case 'status':
      return args.length === 0 ? {kind: 'status'} : {kind: 'help', problem: '`status` takes no arguments'};
    case 'run':
      return args.length === 0 ? {kind: 'run'} : {kind: 'help', problem: '`run` takes no arguments'};
    case 'help':
      return {kind: 'help'};
    case 'unmute':
      return args.length === 0 ? {kind: 'unmute'} : {kind: 'help', problem: '`unmute` takes no arguments'};
    case 'ack':
      return args.length <= 1 ? {kind: 'ack', incident: args[0]?.slice(0, 256) ?? null} : {kind: 'help', problem: '`ack` takes at most one incident (its target or id)'};
    case 'slo': {
      const [sub, ...rest] = args;
      if (sub === undefined) return {kind: 'slo'};
      if (sub === 'report' && rest.length === 0) return {kind: 'slo-report'};
      if (sub === 'ack' && rest.length <= 1) return {kind: 'slo-ack', slo: rest[0]?.slice(0, 64) ?? null};
      return {kind: 'help', problem: '`slo` takes `report` or `ack [slo]`'};
    }
    case 'history': {
      if (args.length > 1) return {kind: 'help', problem: '`history` takes at most one probe'};
      const p = probeArg(args[0]);
      return p.ok ? {kind: 'history', probe: p.probe} : {kind: 'help', problem: p.problem};
    }
    case 'mute': {
      if (args.length < 1 || args.length > 2) return {kind: 'help', problem: '`mute` needs a duration, e.g. `mute 2h` or `mute 30m login`'};
      const d = parseDuration(args[0], Infinity);
      if (!d.ok) return {kind: 'help', problem: `mute: ${markdownLiteral(d.message)}`};
      if (d.ms > MAX_MUTE_MS) return {kind: 'help', problem: 'mute: at most 7d'};
      const p = probeArg(args[1]);
      return p.ok ? {kind: 'mute', durationMs: d.ms, probe: p.probe} : {kind: 'help', problem: p.problem};
    }
    default:
      return {kind: 'help', problem: `unknown subcommand ${markdownLiteral(word.slice(0, 40))}`};
  }
}
