// "Run probes now": runs `/healthcheck run` in the log channel through the API; the bridge answers.
import {useEffect, useRef, useState} from 'react';
import {HttpError} from '../api/http';
import {emojiText} from '../emoji_text';
import {useServices} from '../host/services';
import {useT} from '../i18n/use_t';
import {button, color, mutedText} from '../styles';

export const RUN_COMMAND = '/healthcheck run';

/** A run answers at once; the new report follows when the probes finish, so look again twice. */
export const RELOAD_AFTER_RUN_MS = [3_000, 15_000];

/** reportId: the report shown now; once another replaces it after a run, the run's answer has done its job. */
export function RunNow({channelId, reportId, onRan}: {channelId: string; reportId: string | null; onRan?: () => void}) {
  const {http} = useServices();
  const t = useT();
  const [state, setState] = useState<{status: 'idle' | 'running'} | {status: 'done'; text: string} | {status: 'error'; error: string}>({status: 'idle'});
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);
  const reportAtRun = useRef<string | null>(null);
  useEffect(() => () => timers.current.forEach(clearTimeout), []);
  const run = () => {
    reportAtRun.current = reportId;
    setState({status: 'running'});
    http.post<{text?: unknown}>('/commands/execute', {command: RUN_COMMAND, channel_id: channelId}).then(
      (res) => {
        setState({status: 'done', text: typeof res.data?.text === 'string' && res.data.text ? emojiText(res.data.text) : t('run.started')});
        if (onRan) timers.current = RELOAD_AFTER_RUN_MS.map((ms) => setTimeout(onRan, ms));
      },
      (err: unknown) => {
        // 404: no /healthcheck in this team, i.e. the bridge has not registered its command here.
        const error = err instanceof HttpError && err.status === 404 ? t('run.notRegistered') : err instanceof Error ? err.message : String(err);
        setState({status: 'error', error});
      },
    );
  };
  return (
    <div style={{display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap'}}>
      <button type='button' style={button} onClick={run} disabled={state.status === 'running'} data-testid='healthcheck-run-now'>
        {state.status === 'running' ? t('run.running') : t('run.button')}
      </button>
      {state.status === 'done' && (
        <span style={{...mutedText, whiteSpace: 'pre-wrap'}} data-testid='healthcheck-run-answer'>
          {reportId !== reportAtRun.current ? t('run.updated') : state.text}
        </span>
      )}
      {state.status === 'error' && (
        <span style={{color: color.error}} role='alert'>
          {t('run.failed', {error: state.error})}
        </span>
      )}
    </div>
  );
}
