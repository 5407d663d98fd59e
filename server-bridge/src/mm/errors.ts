// Typed errors for calls to Mattermost: they keep status and cause, and never carry a credential.

export class MattermostApiError extends Error {
  override readonly name = 'MattermostApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly method: string,
    /** Path and query only, never the host's credentials or a token. */
    readonly path: string,
    readonly serverErrorId: string | null,
    options?: {cause?: unknown},
  ) {
    super(message, options);
  }
}

/** The request never got an answer: refused, reset, DNS, timeout or abort. */
export class MattermostUnreachableError extends Error {
  override readonly name = 'MattermostUnreachableError';
  constructor(
    message: string,
    readonly method: string,
    readonly path: string,
    readonly timedOut: boolean,
    options?: {cause?: unknown},
  ) {
    super(message, options);
  }
}

const SECRET_PATTERNS: RegExp[] = [/(authorization["':\s]+)(bearer|token)?\s*[A-Za-z0-9._-]{8,}/gi, /((?:access_)?token["'=:\s]+)[A-Za-z0-9._-]{8,}/gi, /(password["'=:\s]+)[^\s"',&]+/gi];

/** Removes known secrets and credential-looking fragments from text meant for logs or posts. */
export function redact(text: string, secrets: readonly (string | undefined | null)[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  }
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, '$1[REDACTED]');
  return out;
}

/** A one-line reason for an error, including the code of a network failure (ECONNREFUSED, …). */
export function describeError(err: unknown): string {
  if (err instanceof MattermostApiError) return `${err.status} ${err.message}`;
  // DOMException is listed because a test runner's realm may not see it as an Error.
  if (err instanceof Error || err instanceof DOMException) {
    const cause = (err as {cause?: {code?: unknown}}).cause;
    const code = cause?.code ?? (err as {code?: unknown}).code;
    // Only a system code says something; a DOMException's number (23 for a timeout) does not.
    if (typeof code === 'string' && code && !err.message.includes(code)) return `${err.message} (${code})`;
    return err.message;
  }
  return String(err);
}

/** An answer that is not OK, as the bridge's error: the server's message and error id, else the start of the text. */
export function apiErrorOf(status: number, statusText: string, data: unknown, method: string, path: string): MattermostApiError {
  const body = (typeof data === 'object' && data !== null ? data : {}) as {message?: string; id?: string};
  const message = body.message ?? (typeof data === 'string' && data ? data.slice(0, 200) : statusText);
  return new MattermostApiError(message, status, method, path, body.id ?? null);
}

/** A request that got no answer (refused, reset, DNS, timeout or abort), as the bridge's error. */
export function unreachableOf(err: unknown, method: string, path: string, signal?: AbortSignal): MattermostUnreachableError {
  const aborted = signal?.aborted ?? false;
  const reason = aborted ? describeError(signal?.reason ?? err) : describeError(err);
  return new MattermostUnreachableError(`${method} ${path.split('?')[0]} failed: ${reason}`, method, path, aborted, {cause: err});
}
