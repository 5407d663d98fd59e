// The status page every signed-in user can open (/<team>/mattermost-healthcheck/status): each
// service in plain words with its state, 24 h and 7 d uptime over the time observed (said when it
// is less), 90 daily bars in the user's time zone, and open or recent incidents. It reads the
// newest report the user can read; admins also get a link to the full health panel.
import {useEffect, useState} from 'react';
import {fetchLatestReport, type LatestReport} from '../api/latest_report';
import {resolveLogSource} from '../api/log_source';
import {formatTime} from '../format';
import {useServices} from '../host/services';
import {useLocale} from '../i18n/use_t';
import {pageTranslator, type PageKey} from './messages';
import {card, cell, color, mutedText, table, toneColor, type Tone} from '../styles';
import {userIncidents, userServices, type ServiceState} from './user_services';
import {stripsByService, type Day} from './day_strip';
import {userClock} from '../notice/clock';

const TONE: Record<ServiceState, Tone> = {operational: 'ok', degraded: 'warn', outage: 'error', unknown: 'muted'};
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Green from 99.9 %, amber from 99 %, red below; grey when nobody watched. */
const dayColor = (d: Day) => (d.uptime === null ? color.border : d.uptime >= 0.999 ? color.ok : d.uptime >= 0.99 ? color.warn : color.error);
const percent = (u: number | null) => (u === null ? '–' : `${(Math.floor(u * 10_000) / 100).toFixed(2)} %`);

type Load = {status: 'loading'} | {status: 'none'} | {status: 'error'} | {status: 'ready'; latest: LatestReport};

export default function StatusPage() {
  const services = useServices();
  const locale = useLocale();
  const t = pageTranslator(locale);
  const [load, setLoad] = useState<Load>({status: 'loading'});
  useEffect(() => {
    let live = true;
    const read = async () => {
      const source = await resolveLogSource(services.store, services.resolver);
      if (!source.botUserId || !source.channel) return null;
      return fetchLatestReport(services.http, source.channel.id, source.botUserId, source.signingKey);
    };
    const refresh = () =>
      read().then(
        (latest) => live && setLoad(latest ? {status: 'ready', latest} : {status: 'none'}),
        () => live && setLoad({status: 'error'}),
      );
    void refresh();
    // New reports arrive as posts on the websocket the web app already has: no polling.
    const off = services.reports.subscribe(() => void refresh());
    return () => {
      live = false;
      off();
    };
  }, [services]);

  const wrap = (body: JSX.Element) => (
    <div
      style={{
        padding: '24px 32px',
        overflowY: 'auto',
        height: '100%',
        flex: 1,
        width: '100%',
        // The web app's .main-wrapper is a grid ("lhs center rhs"): placed by default in the lhs
        // column, the page left the other two as a dark band. It spans the whole row instead.
        gridColumn: '1 / -1',
        minWidth: 'min(calc(100vw - 16px), 960px)',
        boxSizing: 'border-box',
        color: color.text,
        background: color.bg,
      }}
      data-testid='healthcheck-status-page'
    >
      <h2 style={{marginTop: 0}}>{t('page.title')}</h2>
      {body}
    </div>
  );
  if (load.status === 'loading') return wrap(<p style={mutedText}>{t('page.loading')}</p>);
  if (load.status !== 'ready') return wrap(<p>{t(load.status === 'none' ? 'page.none' : 'page.error')}</p>);

  const {report, createAt} = load.latest;
  const rows = userServices(report);
  const days = report.strips ? stripsByService(report.strips, userClock(services.store.getState()).timeZone) : new Map<string, Day[]>();
  /** "over the 3 h observed" when the bridge watched less than the period (an hour's slack). */
  const coverage = (observedMs: number | null, periodMs: number) => {
    if (observedMs === null || observedMs >= periodMs - HOUR) return null;
    if (observedMs < HOUR) return t('page.observedMinutes', {n: Math.max(1, Math.round(observedMs / 60_000))});
    const hours = Math.round(observedMs / HOUR);
    return hours < 48 ? t('page.observedHours', {n: hours}) : t('page.observedDays', {n: Math.round(hours / 24)});
  };
  const figure = (uptime: number | null, observedMs: number | null, periodMs: number) => {
    const said = uptime === null ? null : coverage(observedMs, periodMs);
    return (
      <>
        {percent(uptime)}
        {said && <span style={mutedText}> {said}</span>}
      </>
    );
  };
  const incidents = userIncidents(report);
  const open = incidents.filter((i) => i.resolvedAt === null);
  const recent = incidents.filter((i) => i.resolvedAt !== null).slice(0, 5);
  const names = (keys: readonly string[]) => keys.map((k) => t(`service.${k}` as PageKey)).join(', ');
  return wrap(
    <>
      <div style={{...card, maxWidth: 760, borderLeft: `4px solid ${toneColor[open.length ? 'error' : 'ok']}`}} data-testid='healthcheck-status-summary'>
        <strong>{open.length ? t('page.someDown', {services: names(open.flatMap((i) => i.services))}) : t('page.allGood')}</strong>
        <div style={mutedText}>{t('page.checkedAt', {time: formatTime(locale, createAt)})}</div>
      </div>
      <table style={{...table, maxWidth: 760, marginTop: 16}} data-testid='healthcheck-status-services'>
        <thead>
          <tr>
            <th style={cell}>{t('page.service')}</th>
            <th style={cell}>{t('page.state')}</th>
            <th style={cell}>{t('page.uptime24h')}</th>
            <th style={cell}>{t('page.uptime7d')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.key} data-service={s.key} data-state={s.state}>
              <td style={cell}>{t(`service.${s.key}` as PageKey)}</td>
              <td style={{...cell, color: toneColor[TONE[s.state]], fontWeight: 600}}>
                {t(`serviceState.${s.state}` as PageKey)}
                {s.state !== 'operational' && s.since !== null && <span style={{...mutedText, fontWeight: 400}}> · {t('page.since', {time: formatTime(locale, s.since)})}</span>}
              </td>
              <td style={cell}>{figure(s.uptime24h, s.observed24hMs, DAY)}</td>
              <td style={cell}>{figure(s.uptime7d, s.observed7dMs, 7 * DAY)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.some((s) => days.has(s.key)) && (
        <section style={{maxWidth: 760, marginTop: 16}} data-testid='healthcheck-status-strips'>
          <h3>{t('page.history')}</h3>
          {rows.map((s) =>
            days.has(s.key) ? (
              <div key={s.key} style={{margin: '8px 0 12px'}} data-strip={s.key}>
                <div style={{fontSize: 13, marginBottom: 4}}>{t(`service.${s.key}` as PageKey)}</div>
                <div style={{display: 'flex', gap: 1, height: 28, alignItems: 'stretch'}}>
                  {(days.get(s.key) as Day[]).map((d) => (
                    <span
                      key={d.date}
                      data-day={d.date}
                      data-uptime={d.uptime === null ? 'none' : d.uptime.toFixed(4)}
                      title={d.uptime === null ? t('page.dayNone', {date: d.date}) : t('page.dayUptime', {date: d.date, uptime: percent(d.uptime), hours: Math.round(d.observedMin / 60)})}
                      style={{flex: 1, minWidth: 2, borderRadius: 1, background: dayColor(d)}}
                    />
                  ))}
                </div>
                <div style={{...mutedText, display: 'flex', justifyContent: 'space-between'}}>
                  <span>{t('page.daysAgo')}</span>
                  <span>{t('page.today')}</span>
                </div>
              </div>
            ) : null,
          )}
          <div style={mutedText}>{t('page.historyLegend')}</div>
        </section>
      )}
      <h3>{t('page.incidents')}</h3>
      <ul data-testid='healthcheck-status-incidents'>
        {[...open, ...recent].map((i) => (
          <li key={`${i.openedAt}-${i.services.join()}`}>
            {i.resolvedAt === null
              ? t('page.incidentOpen', {services: names(i.services), time: formatTime(locale, i.openedAt)})
              : t('page.incidentResolved', {services: names(i.services), from: formatTime(locale, i.openedAt), to: formatTime(locale, i.resolvedAt)})}
          </li>
        ))}
        {open.length + recent.length === 0 && <li>{t('page.noIncidents')}</li>}
      </ul>
    </>,
  );
}
