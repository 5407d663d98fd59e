// Number and time formatting shared by cards and panel; words come from the translations.
import type {Translate} from './i18n/translate';

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return '–';
  const pct = ratio * 100;
  return `${pct === 100 ? '100' : pct.toFixed(pct >= 99 ? 2 : 1)} %`;
}

export function formatDuration(t: Translate, ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('duration.seconds', {n: s});
  const min = Math.round(s / 60);
  if (min < 60) return t('duration.minutes', {n: min});
  const h = Math.floor(min / 60);
  const rest = min % 60;
  if (h < 48) return rest ? t('duration.hoursMinutes', {h, m: rest}) : t('duration.hours', {n: h});
  return t('duration.days', {n: Math.round(h / 24)});
}

export function formatAgo(t: Translate, at: number, now: number): string {
  return now - at < 30_000 ? t('time.justNow') : t('time.ago', {duration: formatDuration(t, now - at)});
}

export function formatTime(locale: string, at: number): string {
  return new Date(at).toLocaleString(locale, {dateStyle: 'medium', timeStyle: 'short'});
}

/** "open for 3 s" or "resolved after 12 min": the alert card and the panel's incident list say it alike. */
export function formatIncidentAge(t: Translate, incident: {openedAt: number; resolvedAt: number | null}, now: number): string {
  const duration = formatDuration(t, (incident.resolvedAt ?? now) - incident.openedAt);
  return incident.resolvedAt === null ? t('alert.openFor', {duration}) : t('alert.resolvedAfter', {duration});
}
