// JSON logs (pino). Credentials never reach a log line: known secret values and token/password
// fields are replaced in every line just before it is written.
import pino, {type DestinationStream, type Logger} from 'pino';
import {redact} from './mm/errors';
import type {RunEvent} from './scheduler';
import {SecretRegistry} from './secrets';

export type {Logger};

export interface LoggerOptions {
  level: string;
  /** Values to blank out wherever they appear (tokens, passwords); a registry also takes ones learned later. */
  secrets: readonly (string | undefined)[] | SecretRegistry;
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets instanceof SecretRegistry ? options.secrets : new SecretRegistry(options.secrets);
  return pino(
    {
      level: options.level,
      base: {service: 'healthcheck-bridge'},
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'token',
          'password',
          'botToken',
          'adminToken',
          'probePassword',
          '*.token',
          '*.password',
          '*.botToken',
          '*.adminToken',
          '*.probePassword',
          'headers.authorization',
          'req.headers.authorization',
        ],
        censor: '[REDACTED]',
      },
      hooks: {streamWrite: (line) => redact(line, secrets.all())},
    },
    options.destination ?? pino.destination({fd: 1, sync: false}),
  );
}

/** One line per probe run: debug when it passed, warn when it failed. */
export function logRun(log: Logger, {result, trigger, plannedAt, startedAt}: RunEvent): void {
  // Most runs pass and debug is usually off: build nothing for a line that is not written.
  if (result.ok && !log.isLevelEnabled('debug')) return;
  const fields = {probe: result.probe, target: result.target, ok: result.ok, durationMs: Math.round(result.durationMs * 10) / 10, trigger, driftMs: Math.round(startedAt - plannedAt)};
  if (result.notConfigured) log.debug({...fields, notConfigured: result.notConfigured}, 'probe not configured');
  else if (result.ok) log.debug(fields, 'probe ok');
  else log.warn({...fields, error: result.error, failed: result.checks.filter((c) => !c.ok)}, 'probe failed');
}
