// Card for the bot's report posts (custom_healthcheck_report); anything untrusted stays plain text.
import {parseReportPost} from '@contract';
import type {PostTypeProps} from '../host/types';
import {card} from '../styles';
import {PlainPost} from './plain_post';
import {ReportSummary} from './report_summary';
import {UntrustedPost} from './untrusted_post';
import {useTrusted} from './use_trusted';

export default function ReportCard({post}: PostTypeProps) {
  const trusted = useTrusted(post, parseReportPost);
  if (trusted.status === 'loading') return <PlainPost post={post} />;
  if (trusted.status === 'untrusted') return <UntrustedPost post={post} detail={trusted.detail} />;
  return (
    <div style={card} data-testid='healthcheck-report-card'>
      {/* No stale warning here: every report in the history is old in time; the panel and /healthcheck warn. */}
      <ReportSummary report={trusted.value} now={Date.now()} />
    </div>
  );
}
