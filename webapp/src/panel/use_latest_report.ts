// The newest trusted report for the panel: fetched once, on an interval, and live from the websocket.
import {useCallback, useEffect, useRef, useState} from 'react';
import {fetchLatestReport, verifiedReport, type LatestReport} from '../api/latest_report';
import {resolveLogSource, type LogSource} from '../api/log_source';
import {useServices} from '../host/services';

export const REPORT_INTERVAL_MS = 60_000;

export type ReportState = {status: 'loading'} | {status: 'error'; error: string; source: LogSource | null} | {status: 'ready'; source: LogSource; latest: LatestReport | null};

export function useLatestReport(config: unknown, intervalMs = REPORT_INTERVAL_MS): {state: ReportState; reload(): void} {
  const {store, resolver, http, reports} = useServices();
  const [state, setState] = useState<ReportState>({status: 'loading'});
  const source = useRef<LogSource | null>(null);
  const live = useRef(true);
  // The System Console may hand a new config object on any render; that alone is no reason to refetch.
  const configRef = useRef(config);
  configRef.current = config;

  const reload = useCallback(() => {
    (async () => {
      const src = source.current ?? (await resolveLogSource(store, resolver, {config: configRef.current}));
      // Kept only once complete: a bot or channel created later is found on the next reload.
      source.current = src.botUserId && src.channel ? src : null;
      const latest = src.botUserId && src.channel ? await fetchLatestReport(http, src.channel.id, src.botUserId, src.signingKey) : null;
      if (live.current) setState({status: 'ready', source: src, latest});
    })().catch((err: unknown) => {
      if (live.current) setState({status: 'error', error: err instanceof Error ? err.message : String(err), source: source.current});
    });
  }, [store, resolver, http]);

  useEffect(() => {
    live.current = true;
    reload();
    const timer = setInterval(reload, intervalMs);
    const unsubscribe = reports.subscribe((post) => {
      if (!post) return reload();
      const src = source.current;
      if (!src?.botUserId || post.channel_id !== src.channel?.id) return;
      void verifiedReport(post, src.botUserId, src.signingKey).then((found) => {
        if (!found || !live.current) return;
        setState((prev) => (prev.status === 'ready' && prev.latest && prev.latest.createAt >= found.createAt ? prev : {status: 'ready', source: src, latest: found}));
      });
    });
    return () => {
      live.current = false;
      clearInterval(timer);
      unsubscribe();
    };
  }, [reload, reports, intervalMs]);

  return {state, reload};
}
