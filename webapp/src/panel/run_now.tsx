// "Run probes now": runs `/healthcheck run` in the log channel through the API; the bridge answers.
import {useState} from 'react';
import {useServices} from '../host/services';
import {useT} from '../i18n/use_t';
import {button, color, mutedText} from '../styles';

export const RUN_COMMAND = '/healthcheck run';

export function RunNow({channelId}: {channelId: string}) {
  const {http} = useServices();
  const t = useT();
  const [state, setState] = useState<{status: 'idle' | 'running'} | {status: 'done'; text: string} | {status: 'error'; error: string}>({status: 'idle'});
  const run = () => {
    setState({status: 'running'});
    http.post<{text?: unknown}>('/commands/execute', {command: RUN_COMMAND, channel_id: channelId}).then(
      (res) => setState({status: 'done', text: typeof res.data?.text === 'string' && res.data.text ? res.data.text : t('run.started')}),
      (err: unknown) => setState({status: 'error', error: err instanceof Error ? err.message : String(err)}),
    );
  };
  return (
    <div style={{display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap'}}>
      <button type='button' style={button} onClick={run} disabled={state.status === 'running'} data-testid='healthcheck-run-now'>
        {state.status === 'running' ? t('run.running') : t('run.button')}
      </button>
      {state.status === 'done' && <span style={{...mutedText, whiteSpace: 'pre-wrap'}}>{state.text}</span>}
      {state.status === 'error' && (
        <span style={{color: color.error}} role='alert'>
          {t('run.failed', {error: state.error})}
        </span>
      )}
    </div>
  );
}
