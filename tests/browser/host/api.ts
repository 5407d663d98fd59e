// The host page's calls to the real server, as the web app's Client4 makes them: same-origin
// cookie session, X-Requested-With, and the CSRF token from the MMCSRF cookie on writes.
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly serverErrorId: string | null,
  ) {
    super(message);
  }
}

export function csrfToken(cookie: string): string | null {
  const match = /(?:^|;\s*)MMCSRF=([^;]+)/.exec(cookie);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

export interface ApiAnswer<T> {
  status: number;
  headers: Headers;
  data: T;
}

export async function apiCall<T>(method: string, route: string, body?: unknown, acceptStatus: readonly number[] = []): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = {'X-Requested-With': 'XMLHttpRequest'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const csrf = method === 'GET' ? null : csrfToken(document.cookie);
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let res: Response;
  try {
    res = await fetch(`/api/v4${route}`, {method, headers, credentials: 'include', body: body === undefined ? undefined : JSON.stringify(body)});
  } catch (err) {
    throw new ApiError(`${method} ${route}: ${err instanceof Error ? err.message : String(err)}`, 0, null);
  }
  const text = await res.text();
  let data: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('application/json') && text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!res.ok && !acceptStatus.includes(res.status)) {
    const err = (typeof data === 'object' && data !== null ? data : {}) as {message?: string; id?: string};
    throw new ApiError(`${method} ${route.split('?')[0]}: ${res.status} ${err.message ?? res.statusText}`, res.status, err.id ?? null);
  }
  return {status: res.status, headers: res.headers, data: data as T};
}

export async function apiGet<T>(route: string): Promise<T> {
  return (await apiCall<T>('GET', route)).data;
}
