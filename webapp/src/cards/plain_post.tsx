// A post shown as its plain message (text, never HTML), optionally marked as not from the bot.
import {emojiText} from '../emoji_text';
import type {HostPost} from '../host/types';
import {useT} from '../i18n/use_t';
import {banner, color, plainMessage} from '../styles';

// Theme text on a tinted background with a coloured edge: readable in light and dark themes alike.
const untrustedMark = {...banner('warn'), background: color.warnTint, display: 'inline-block', fontSize: 12, lineHeight: '16px', padding: '2px 8px', margin: '4px 0 0'};

export function PlainPost({post, untrusted, detail}: {post: HostPost; untrusted?: boolean; detail?: string}) {
  const t = useT();
  return (
    <div data-testid='healthcheck-plain-post'>
      <div style={plainMessage}>{emojiText(post.message)}</div>
      {untrusted && (
        <div style={untrustedMark} data-testid='healthcheck-untrusted' title={detail}>
          {t('trust.notFromBot')}
          {detail ? ` (${t('trust.invalid')})` : ''}
        </div>
      )}
    </div>
  );
}
