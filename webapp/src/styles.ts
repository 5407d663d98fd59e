// Inline styles on the Mattermost theme's CSS variables, so light and dark themes both work.
import type {CSSProperties} from 'react';

export const color = {
  text: 'var(--center-channel-color)',
  bg: 'var(--center-channel-bg)',
  muted: 'rgba(var(--center-channel-color-rgb), 0.64)',
  border: 'rgba(var(--center-channel-color-rgb), 0.16)',
  subtle: 'rgba(var(--center-channel-color-rgb), 0.04)',
  ok: 'var(--online-indicator)',
  warn: 'var(--away-indicator)',
  /** A light wash of the warning colour, behind text in the theme's own colour. */
  warnTint: 'rgba(var(--away-indicator-rgb, 255, 188, 31), 0.16)',
  error: 'var(--error-text)',
  link: 'var(--link-color)',
  button: 'var(--button-bg)',
  buttonText: 'var(--button-color)',
};

export type Tone = 'ok' | 'warn' | 'error' | 'muted';

export const toneColor: Record<Tone, string> = {ok: color.ok, warn: color.warn, error: color.error, muted: color.muted};

export const card: CSSProperties = {
  border: `1px solid ${color.border}`,
  borderRadius: 4,
  padding: '8px 12px',
  margin: '4px 0',
  color: color.text,
  background: color.bg,
  maxWidth: 640,
  fontSize: 14,
  lineHeight: '20px',
};

export const mutedText: CSSProperties = {color: color.muted, fontSize: 12};

export const plainMessage: CSSProperties = {whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', color: color.text};

export const button: CSSProperties = {
  background: color.button,
  color: color.buttonText,
  border: 'none',
  borderRadius: 4,
  padding: '6px 12px',
  fontWeight: 600,
  cursor: 'pointer',
  fontSize: 13,
};

export const secondaryButton: CSSProperties = {...button, background: 'transparent', color: color.button, border: `1px solid ${color.button}`};

export const table: CSSProperties = {borderCollapse: 'collapse', width: '100%', fontSize: 13};

export const cell: CSSProperties = {borderBottom: `1px solid ${color.border}`, padding: '4px 8px', textAlign: 'left', verticalAlign: 'top'};

export const banner = (tone: Tone): CSSProperties => ({
  borderLeft: `4px solid ${toneColor[tone]}`,
  background: color.subtle,
  padding: '8px 12px',
  margin: '8px 0',
  color: color.text,
});
