// Live ping state for the panel: a plain (read-only) ping now and on an interval, deep on demand.
import {useCallback, useEffect, useRef, useState} from 'react';
import {ping, type PingResult} from '../api/ping';
import {useServices} from '../host/services';

export const PING_INTERVAL_MS = 30_000;

export interface LivePing {
  result: PingResult | null;
  error: string | null;
  loading: boolean;
  refresh(deep?: boolean): void;
}

export function useLivePing(intervalMs = PING_INTERVAL_MS): LivePing {
  const {http} = useServices();
  const [result, setResult] = useState<PingResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const live = useRef(true);

  const refresh = useCallback(
    (deep = false) => {
      setLoading(true);
      ping(http, deep).then(
        (r) => {
          if (!live.current) return;
          setResult(r);
          setError(null);
          setLoading(false);
        },
        (err: unknown) => {
          if (!live.current) return;
          setError(err instanceof Error ? err.message : String(err));
          setLoading(false);
        },
      );
    },
    [http],
  );

  useEffect(() => {
    live.current = true;
    refresh(false);
    const timer = setInterval(() => refresh(false), intervalMs);
    return () => {
      live.current = false;
      clearInterval(timer);
    };
  }, [refresh, intervalMs]);

  return {result, error, loading, refresh};
}
