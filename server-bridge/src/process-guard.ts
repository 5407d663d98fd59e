// Keeps the bridge alerting after a bug: an unhandled promise rejection is logged (secrets
// redacted) instead of ending the process, which Node does by default.
import {describeError, redact} from './mm/errors';

export interface GuardLog {
  error(fields: Record<string, unknown>, msg: string): void;
}

/** Installs the handler; returns a function that removes it. */
export function guardUnhandledRejections(log: GuardLog, secrets: readonly string[], target: NodeJS.Process = process): () => void {
  const handler = (reason: unknown) => log.error({err: redact(describeError(reason), secrets)}, 'unhandled promise rejection (a bug in the bridge); it keeps running');
  target.on('unhandledRejection', handler);
  return () => target.off('unhandledRejection', handler);
}
