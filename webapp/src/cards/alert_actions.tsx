// The incident post's buttons (the interactive message attachment the bot put on it) in the card's
// own style. A click goes through Mattermost (POST /posts/{id}/actions/{action}), exactly as the web
// app's and the mobile app's own buttons do: the server checks the user, calls the bridge, and
// edits the post, which the host then re-renders.
import {useState} from 'react';
import {HttpError} from '../api/http';
import {useServices} from '../host/services';
import type {HostPost} from '../host/types';
import {useT} from '../i18n/use_t';
import {button, mutedText, secondaryButton} from '../styles';

export interface PostButton {
  id: string;
  name: string;
  primary: boolean;
}

const ID = /^[A-Za-z0-9]{1,64}$/;

/** The buttons of the post's first attachment (ids Mattermost's route accepts); only for a trusted post. */
export function postButtons(post: HostPost): PostButton[] {
  const attachments = post.props?.attachments;
  if (!Array.isArray(attachments)) return [];
  const actions = (attachments[0] as {actions?: unknown} | undefined)?.actions;
  if (!Array.isArray(actions)) return [];
  return actions.flatMap((a: unknown) => {
    const {id, name, style, type} = (a ?? {}) as Record<string, unknown>;
    return typeof id === 'string' && ID.test(id) && typeof name === 'string' && (type === undefined || type === 'button') ? [{id, name: name.slice(0, 40), primary: style === 'primary'}] : [];
  });
}

export function AlertActions({post}: {post: HostPost}) {
  const {http} = useServices();
  const t = useT();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const buttons = postButtons(post);
  if (buttons.length === 0) return null;
  const press = async (id: string) => {
    setBusy(id);
    setError(null);
    try {
      await http.post(`/posts/${post.id}/actions/${id}`, {});
    } catch (err) {
      setError(err instanceof HttpError && err.status === 403 ? t('alert.actionForbidden') : t('alert.actionFailed'));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div style={{display: 'flex', gap: 8, marginTop: 8, alignItems: 'center', flexWrap: 'wrap'}} data-testid='healthcheck-alert-actions'>
      {buttons.map((b) => (
        <button
          key={b.id}
          type='button'
          data-action={b.id}
          disabled={busy !== null}
          style={{...(b.primary ? button : secondaryButton), opacity: busy && busy !== b.id ? 0.6 : 1}}
          onClick={() => void press(b.id)}
        >
          {b.name}
        </button>
      ))}
      {error && (
        <span role='alert' style={mutedText}>
          {error}
        </span>
      )}
    </div>
  );
}
