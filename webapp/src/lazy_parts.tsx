// The components the entry registers: thin wrappers that load the real ones as lazy chunks, so the
// schema (zod), the panel and the chart are paid for only where they are shown.
import {lazy, Suspense, type ComponentType} from 'react';
import {PlainPost} from './cards/plain_post';
import {ErrorBoundary} from './error_boundary';
import type {AdminSettingProps, PostTypeProps} from './host/types';
import {useEntryWords} from './i18n/entry_words';
import {mutedText} from './styles';

const ReportCard = lazy(() => import(/* webpackChunkName: "cards" */ './cards/report_card'));
const AlertCard = lazy(() => import(/* webpackChunkName: "cards" */ './cards/alert_card'));
const SloAlertCard = lazy(() => import(/* webpackChunkName: "cards" */ './cards/slo_alert_card'));
const StatusCard = lazy(() => import(/* webpackChunkName: "cards" */ './cards/status_card'));
const HealthPanel = lazy(() => import(/* webpackChunkName: "panel" */ './panel/health_panel'));
const StatusPage = lazy(() => import(/* webpackChunkName: "status" */ './status_page/status_page'));
const Notice = lazy(() => import(/* webpackChunkName: "notice" */ './notice/notice_root'));

// Until the card chunk is there (or if it fails), the post reads as its plain message.
function postCard(Card: ComponentType<PostTypeProps>): ComponentType<PostTypeProps> {
  const Lazy = (props: PostTypeProps) => (
    <ErrorBoundary fallback={<PlainPost post={props.post} />}>
      <Suspense fallback={<PlainPost post={props.post} />}>
        <Card {...props} />
      </Suspense>
    </ErrorBoundary>
  );
  return Lazy;
}

export const LazyReportCard = postCard(ReportCard);
export const LazyAlertCard = postCard(AlertCard);
export const LazySloAlertCard = postCard(SloAlertCard);
export const LazyStatusCard = postCard(StatusCard);

export function LazyHealthPanel(props: AdminSettingProps) {
  const words = useEntryWords();
  return (
    <ErrorBoundary fallback={<div style={mutedText}>{words['panel.loadFailed']}</div>}>
      <Suspense fallback={<div style={mutedText}>{words['panel.loading']}</div>}>
        <HealthPanel {...props} />
      </Suspense>
    </ErrorBoundary>
  );
}

export function LazyStatusPage() {
  const words = useEntryWords();
  // The page's own words ride in its chunk; until it is there, its menu label says what loads.
  return (
    <ErrorBoundary fallback={<div style={mutedText}>{words['page.menu']} ⚠</div>}>
      <Suspense fallback={<div style={mutedText}>{words['page.menu']}…</div>}>
        <StatusPage />
      </Suspense>
    </ErrorBoundary>
  );
}

/** The degraded-service notice; its chunk reads the bot's status and follows its user_updated events. */
export const LazyNotice = () => (
  <ErrorBoundary fallback={null}>
    <Suspense fallback={null}>
      <Notice />
    </Suspense>
  </ErrorBoundary>
);
