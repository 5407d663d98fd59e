// A coloured state label: the words come from the translations, the colours from the theme.
import type {ReactNode} from 'react';
import {toneColor, type Tone} from '../styles';

export type AnyState = 'ok' | 'degraded' | 'failing' | 'unknown' | 'not_configured' | 'open' | 'resolved' | 'stale';

export const stateTone: Record<AnyState, Tone> = {
  ok: 'ok',
  resolved: 'ok',
  degraded: 'warn',
  stale: 'warn',
  failing: 'error',
  open: 'error',
  unknown: 'muted',
  not_configured: 'muted',
};

/** `tone` overrides the state's colour (an SLO alert that only asks for a ticket is open, in amber). */
export function StateBadge({state, tone, children}: {state: AnyState; tone?: Tone; children: ReactNode}) {
  const c = toneColor[tone ?? stateTone[state]];
  return (
    <span data-state={state} style={{display: 'inline-flex', alignItems: 'center', gap: 4, fontWeight: 600, color: c}}>
      <span aria-hidden style={{width: 8, height: 8, borderRadius: '50%', background: c, display: 'inline-block'}} />
      {children}
    </span>
  );
}
