// System Console › Plugins › Health Check: the health panel (a `type: "custom"` setting, lazy chunk).
import {staleAfterMs} from '../api/log_source';
import {formatAgo, formatDuration, formatTime} from '../format';
import {useServices} from '../host/services';
import {adminConfig, goroutineHealthThreshold, siteUrl} from '../host/state';
import type {AdminSettingProps} from '../host/types';
import {useLocale, useT} from '../i18n/use_t';
import {banner, color, mutedText} from '../styles';
import {StateBadge} from '../cards/state_badge';
import {useNow} from '../use_now';
import {Charts} from './charts';
import {BridgeList} from './bridge_list';
import {IncidentList} from './incident_list';
import {LivePingSection} from './live_ping_section';
import {ProbeTable} from './probe_table';
import {SloTable} from './slo_table';
import {RunNow} from './run_now';
import {TargetTable} from './target_table';
import {isMultiTarget} from '../targets';
import {useLatestReport, type ReportState} from './use_latest_report';
import {useLivePing} from './use_live_ping';

const section = {borderTop: `1px solid ${color.border}`, paddingTop: 12, marginTop: 12};

function ReportPart({state, reload}: {state: ReportState; reload(): void}) {
  const t = useT();
  const locale = useLocale();
  const {store} = useServices();
  // "… ago" and the stale check; open incidents keep their own faster clock.
  const now = useNow(15_000);
  if (state.status === 'loading')
    return (
      <div style={mutedText} data-testid='healthcheck-report-loading'>
        {t('panel.loadingReport')}
      </div>
    );
  if (state.status === 'error') {
    return (
      <div style={banner('error')} role='alert' data-testid='healthcheck-report-error'>
        {t('panel.reportError', {error: state.error})}{' '}
        <button type='button' onClick={reload} style={{background: 'none', border: 'none', color: color.link, cursor: 'pointer', padding: 0}}>
          {t('panel.retry')}
        </button>
      </div>
    );
  }
  const {source, latest} = state;
  const {settings} = source;
  if (!source.botUserId)
    return (
      <div style={banner('warn')} data-testid='healthcheck-no-bot'>
        {t('panel.noBot', {bot: settings.botUsername})}
      </div>
    );
  if (!source.channel) {
    const text = source.team ? t('panel.noChannel', {channel: settings.logChannel, team: source.team}) : t('panel.noChannelAnyTeam', {channel: settings.logChannel});
    return (
      <div style={banner('warn')} data-testid='healthcheck-no-channel'>
        {text}
      </div>
    );
  }
  const run = <RunNow channelId={source.channel.id} reportId={latest?.postId ?? null} onRan={reload} />;
  if (!latest) {
    return (
      <div data-testid='healthcheck-report-empty'>
        <div style={banner('muted')}>{t('panel.noReport', {bot: settings.botUsername, channel: settings.logChannel})}</div>
        {run}
      </div>
    );
  }
  const {report} = latest;
  const staleMs = staleAfterMs(settings, report.heartbeatIntervalMs);
  const stale = now - report.generatedAt > staleMs;
  return (
    <div data-testid='healthcheck-report'>
      {stale && (
        <div style={banner('error')} role='alert' data-testid='healthcheck-stale'>
          {t('panel.stale', {ago: formatAgo(t, report.generatedAt, now), limit: formatDuration(t, staleMs)})}
        </div>
      )}
      <div style={{display: 'flex', gap: 12, alignItems: 'baseline', flexWrap: 'wrap', marginBottom: 6}}>
        <StateBadge state={report.overall}>{t(`state.${report.overall}`)}</StateBadge>
        <span style={mutedText}>{t('panel.reportFrom', {time: formatTime(locale, report.generatedAt), ago: formatAgo(t, report.generatedAt, now), version: report.bridgeVersion})}</span>
        {report.mutedUntil !== null && report.mutedUntil > now && <span style={mutedText}>{t('panel.muted', {time: formatTime(locale, report.mutedUntil)})}</span>}
      </div>
      {report.bridges?.length ? <BridgeList bridges={report.bridges} now={now} /> : null}
      {run}
      {isMultiTarget(report) ? (
        <div style={section}>
          <h4 style={{margin: '0 0 6px'}}>{t('panel.targetsTitle')}</h4>
          <TargetTable report={report} />
        </div>
      ) : (
        <>
          <div style={section}>
            <h4 style={{margin: '0 0 6px'}}>{t('panel.probesTitle')}</h4>
            <ProbeTable probes={report.probes} />
          </div>
          <div style={section}>
            <h4 style={{margin: '0 0 6px'}}>{t('panel.chartsTitle')}</h4>
            <Charts series={report.series} />
          </div>
        </>
      )}
      {report.slos && report.slos.length > 0 && (
        <div style={section}>
          <h4 style={{margin: '0 0 6px'}}>{t('panel.slosTitle')}</h4>
          <SloTable slos={report.slos} />
        </div>
      )}
      <div style={section}>
        <h4 style={{margin: '0 0 6px'}}>{t('panel.incidentsTitle')}</h4>
        <div style={{...mutedText, marginBottom: 4}}>
          {t('panel.incidentsWhere')}{' '}
          <a href={`${siteUrl(store.getState())}/${encodeURIComponent(source.channel.teamName)}/channels/${encodeURIComponent(settings.opsChannel)}`} style={{color: color.link}}>
            ~{settings.opsChannel}
          </a>
        </div>
        <IncidentList incidents={report.incidents} siteUrl={siteUrl(store.getState())} teamName={source.channel.teamName} />
      </div>
    </div>
  );
}

export default function HealthPanel({config}: AdminSettingProps) {
  const t = useT();
  const {store} = useServices();
  const adminCfg = config ?? adminConfig(store.getState());
  const live = useLivePing();
  const {state, reload} = useLatestReport(adminCfg);
  return (
    <div style={{color: color.text, maxWidth: 960}} data-testid='healthcheck-panel'>
      <p style={{...mutedText, marginTop: 0}}>{t('panel.intro')}</p>
      <LivePingSection live={live} goroutineThreshold={goroutineHealthThreshold(adminCfg)} />
      <div style={section}>
        <h4 style={{margin: '0 0 6px'}}>{t('panel.reportTitle')}</h4>
        <ReportPart state={state} reload={reload} />
      </div>
    </div>
  );
}
