// A post shown as its plain message (text, never HTML), optionally marked as not from the bot.
import type {HostPost} from '../host/types';
import {useT} from '../i18n/use_t';
import {color, mutedText, plainMessage} from '../styles';

export function PlainPost({post, untrusted, detail}: {post: HostPost; untrusted?: boolean; detail?: string}) {
  const t = useT();
  return (
    <div data-testid='healthcheck-plain-post'>
      <div style={plainMessage}>{post.message}</div>
      {untrusted && (
        <div style={{...mutedText, color: color.warn}} data-testid='healthcheck-untrusted' title={detail}>
          {t('trust.notFromBot')}
          {detail ? ` (${t('trust.invalid')})` : ''}
        </div>
      )}
    </div>
  );
}
