// The current time for a component, ticking while something on screen depends on it.
import {useEffect, useState} from 'react';

/** `intervalMs` null: no clock (nothing shown changes with time); the timer stops on unmount. */
export function useNow(intervalMs: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (intervalMs === null) return;
    // Catch up at once: the clock may have been off while nothing needed it.
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** How often open incidents' durations ("open for 3 s") are brought up to date. */
export const OPEN_INCIDENT_TICK_MS = 1000;
