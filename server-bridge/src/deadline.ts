// A signal that aborts at a deadline or with a parent signal. AbortSignal.any() holds its sources
// weakly, so an AbortSignal.timeout() given only to it can be garbage-collected before it fires
// (seen on Node 20: a request through a stalled connection was never aborted). Here the timer
// holds the controller strongly until dispose().
export interface Deadline {
  signal: AbortSignal;
  /** Clears the timer and the parent listener; call it when the guarded work ends. */
  dispose(): void;
}

export function deadline(timeoutMs: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  // The guarded work keeps the process alive, not the deadline (Node still holds an unref'd timer).
  timer.unref?.();
  const onParent = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, {once: true});
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}
