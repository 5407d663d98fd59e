// The panel with several targets: one row per target (state, worst probe, 24 h uptime), failing ones
// first and open, a filter, and each target's probes and charts only when it is opened.
import {useState} from 'react';
import type {Report} from '@contract';
import {StateBadge} from '../cards/state_badge';
import {formatMs, formatPercent} from '../format';
import {useT} from '../i18n/use_t';
import {cell, color, mutedText, table} from '../styles';
import {filterTargets, needsAttention, summariseTargets, type TargetSummary} from '../targets';
import {Charts} from './charts';
import {ProbeTable} from './probe_table';

const head = {...cell, fontWeight: 600, whiteSpace: 'nowrap'} as const;
const figure = {...cell, whiteSpace: 'nowrap'} as const;
const linkButton = {background: 'none', border: 'none', color: color.link, cursor: 'pointer', padding: 0, fontSize: 13} as const;

function TargetDetails({report, summary}: {report: Report; summary: TargetSummary}) {
  const series = {...report.series, probes: report.series.probes.filter((p) => p.target === summary.name)};
  return (
    <div style={{padding: '6px 0 12px'}} data-testid='healthcheck-target-details'>
      <ProbeTable probes={summary.probes} />
      <div style={{marginTop: 8}}>
        <Charts series={series} />
      </div>
    </div>
  );
}

export function TargetTable({report}: {report: Report}) {
  const t = useT();
  const summaries = summariseTargets(report);
  const [text, setText] = useState('');
  const [onlyProblems, setOnlyProblems] = useState(false);
  // Targets the admin opened or closed; the others are open exactly when they need attention.
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  const isOpen = (s: TargetSummary) => toggled[s.name] ?? needsAttention(s);
  const shown = filterTargets(summaries, text, onlyProblems);
  return (
    <div data-testid='healthcheck-targets'>
      <div style={{display: 'flex', gap: 12, alignItems: 'center', flexWrap: 'wrap', marginBottom: 6}}>
        <input
          type='search'
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('targets.filter')}
          aria-label={t('targets.filter')}
          data-testid='healthcheck-target-filter'
          style={{padding: '4px 8px', border: `1px solid ${color.border}`, borderRadius: 4, background: color.bg, color: color.text, minWidth: 220}}
        />
        <label style={{fontSize: 13}}>
          <input type='checkbox' checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} data-testid='healthcheck-target-problems' /> {t('targets.onlyProblems')}
        </label>
        <span style={mutedText} data-testid='healthcheck-targets-shown'>
          {t('targets.shown', {shown: shown.length, total: summaries.length})}
        </span>
      </div>
      {shown.length === 0 ? (
        <div style={mutedText}>{t('targets.none')}</div>
      ) : (
        <table style={table}>
          <thead>
            <tr>
              <th style={head}>{t('targets.target')}</th>
              <th style={head}>{t('probes.state')}</th>
              <th style={head}>{t('targets.worst')}</th>
              <th style={head}>{t('probes.uptime')}</th>
              <th style={head} />
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => {
              const open = isOpen(s);
              return [
                <tr key={s.name} data-target={s.name}>
                  <td style={{...cell, overflowWrap: 'anywhere', fontWeight: 600}}>{s.name}</td>
                  <td style={figure}>
                    <StateBadge state={s.state}>{t(`state.${s.state}`)}</StateBadge>
                  </td>
                  <td style={figure}>{s.worst ? `${s.worst.probe} ${formatMs(s.worst.durationMs)}` : '–'}</td>
                  <td style={figure}>{formatPercent(s.uptime24h)}</td>
                  <td style={figure}>
                    <button type='button' style={linkButton} aria-expanded={open} onClick={() => setToggled((prev) => ({...prev, [s.name]: !open}))} data-testid='healthcheck-target-toggle'>
                      {open ? t('targets.hide') : t('targets.show')}
                    </button>
                  </td>
                </tr>,
                open && (
                  <tr key={`${s.name}/details`}>
                    <td colSpan={5} style={{...cell, paddingLeft: 16}}>
                      <TargetDetails report={report} summary={s} />
                    </td>
                  </tr>
                ),
              ];
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
