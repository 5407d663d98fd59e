// The live ping block: facts from this browser, the goroutine threshold, refresh and deep check.
import {PingLine} from '../cards/ping_line';
import {formatTime} from '../format';
import {useLocale, useT} from '../i18n/use_t';
import {banner, mutedText, secondaryButton} from '../styles';
import type {LivePing} from './use_live_ping';

export function LivePingSection({live, goroutineThreshold}: {live: LivePing; goroutineThreshold: number | undefined}) {
  const t = useT();
  const locale = useLocale();
  const {result, error, loading} = live;
  const unhealthy = result !== null && result.status !== 'OK';
  return (
    <section data-testid='healthcheck-live-ping'>
      <h4 style={{margin: '0 0 6px'}}>{t('panel.liveTitle')}</h4>
      {result && <PingLine ping={result} />}
      {!result && loading && <div style={mutedText}>{t('panel.pinging')}</div>}
      {error && (
        <div style={banner('error')} role='alert'>
          {t('ping.failed', {error})}
        </div>
      )}
      <div style={{...mutedText, marginTop: 4}}>
        {goroutineThreshold === undefined ? t('panel.goroutineUnknown') : goroutineThreshold > 0 ? t('panel.goroutine', {n: goroutineThreshold}) : t('panel.goroutineOff')}
      </div>
      {unhealthy && (
        <div style={banner('error')} role='alert' data-testid='healthcheck-unhealthy'>
          {goroutineThreshold !== undefined && goroutineThreshold > 0 ? t('panel.unhealthyGoroutines', {n: goroutineThreshold}) : t('panel.unhealthy')}
        </div>
      )}
      <div style={{display: 'flex', gap: 8, alignItems: 'center', marginTop: 6, flexWrap: 'wrap'}}>
        <button type='button' style={secondaryButton} onClick={() => live.refresh(false)} disabled={loading}>
          {t('panel.refresh')}
        </button>
        <button type='button' style={secondaryButton} onClick={() => live.refresh(true)} disabled={loading} title={t('panel.deepHelp')}>
          {t('panel.deep')}
        </button>
        {result && <span style={mutedText}>{t('panel.checkedAt', {time: formatTime(locale, result.checkedAt)})}</span>}
      </div>
    </section>
  );
}
