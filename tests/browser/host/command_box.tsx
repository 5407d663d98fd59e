// The message box of the channel view: a /command goes through the plugins' hooks then to the
// server (POST /api/v4/commands/execute); anything else is posted as a message.
import React, {useState} from 'react';
import {useSelector} from 'react-redux';
import {apiCall} from './api';
import {executeCommand, runSlashHooks} from './slash';
import type {HostState} from './store';

export function CommandBox({channelId, teamId}: {channelId: string; teamId: string}) {
  const hooks = useSelector((s: HostState) => s.plugins.components.SlashCommandWillBePosted ?? []);
  const [text, setText] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const message = text.trim();
    if (!message) return;
    setBusy(true);
    setNote('');
    try {
      if (message.startsWith('/')) {
        const outcome = await runSlashHooks(hooks, message, {channel_id: channelId, team_id: teamId, root_id: ''});
        if (outcome.kind === 'error') setNote(outcome.message);
        else if (outcome.kind === 'consumed') setNote('Handled in the browser by a plugin.');
        else {
          const answer = await executeCommand(outcome.message, outcome.args);
          setNote(answer.text ? 'Sent to the server; its answer appears below as an ephemeral post.' : 'Sent to the server.');
        }
      } else {
        await apiCall('POST', '/posts', {channel_id: channelId, message});
      }
      setText('');
    } catch (err) {
      setNote(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className='command-box' onSubmit={submit} aria-label='Message box'>
      <input name='message' placeholder='Write a message, or /healthcheck' value={text} onChange={(e) => setText(e.target.value)} disabled={busy} />
      <button type='submit' disabled={busy}>
        Send
      </button>
      {note && (
        <p className='command-note' role='status'>
          {note}
        </p>
      )}
    </form>
  );
}
