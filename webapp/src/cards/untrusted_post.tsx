// A post that claims to be ours but is not from the bot (or not valid): its plain message, marked.
import type {HostPost} from '../host/types';
import {useT} from '../i18n/use_t';
import {banner, color} from '../styles';
import {PlainPost} from './plain_post';

// Theme text on a tinted background with a coloured edge: readable in light and dark themes alike.
const untrustedMark = {...banner('warn'), background: color.warnTint, display: 'inline-block', fontSize: 12, lineHeight: '16px', padding: '2px 8px', margin: '4px 0 0'};

export function UntrustedPost({post, detail}: {post: HostPost; detail?: string}) {
  const t = useT();
  return (
    <PlainPost post={post}>
      <div style={untrustedMark} data-testid='healthcheck-untrusted' title={detail}>
        {t('trust.notFromBot')}
        {detail ? ` (${t('trust.invalid')})` : ''}
      </div>
    </PlainPost>
  );
}
