// The ephemeral answer to /healthcheck made in this browser; a post of this type from anywhere else
// has no snapshot here and stays its plain message.
import type {PostTypeProps} from '../host/types';
import {useServices} from '../host/services';
import {useT} from '../i18n/use_t';
import {banner, card, mutedText} from '../styles';
import {PingLine} from './ping_line';
import {PlainPost} from './plain_post';
import {ReportSummary} from './report_summary';
import {UntrustedPost} from './untrusted_post';
import {LOCAL_ANSWER_PREFIX} from '../slash/status_snapshots';

export default function StatusCard({post}: PostTypeProps) {
  const t = useT();
  const snapshot = useServices().statuses.get(post.id);
  // An older answer of this browser (no longer kept) is plain text; anything else is not ours.
  if (!snapshot) return post.id.startsWith(LOCAL_ANSWER_PREFIX) ? <PlainPost post={post} /> : <UntrustedPost post={post} />;
  return (
    <div style={card} data-testid='healthcheck-status-card'>
      <div style={{fontWeight: 600}}>{t('status.title')}</div>
      {snapshot.ping ? <PingLine ping={snapshot.ping} /> : <div style={banner('error')}>{t('ping.failed', {error: snapshot.pingError ?? ''})}</div>}
      <div style={{marginTop: 6}}>
        <ReportSummary report={snapshot.latest.report} now={Date.now()} staleAfterMs={snapshot.staleAfterMs} />
      </div>
      <div style={mutedText}>{t('status.onlyYou')}</div>
    </div>
  );
}
