// fetch for the Mattermost API from the browser: the session cookie, the CSRF header, typed errors.

export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly path: string,
    readonly serverMessage?: string,
  ) {
    super(`${path} answered ${status}${serverMessage ? `: ${serverMessage}` : ''}`);
  }
}

export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`${path} could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`, {cause});
  }
}

export interface HttpResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

export interface Http {
  get<T>(path: string, query?: Record<string, string>): Promise<HttpResponse<T>>;
  post<T>(path: string, body: unknown): Promise<HttpResponse<T>>;
}

type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

function csrfToken(): string | undefined {
  const match = /(?:^|;\s*)MMCSRF=([^;]*)/.exec(document.cookie);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

async function readBody(res: Response): Promise<unknown> {
  const body = await res.text();
  if (!body) return null;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/** API client rooted at `<base>/api/v4`; base is read on every call so a SiteURL change is followed. */
export function createHttp(base: () => string, fetchFn: FetchFn = (input, init) => fetch(input, init)): Http {
  async function request<T>(method: string, path: string, query?: Record<string, string>, body?: unknown): Promise<HttpResponse<T>> {
    const qs = query ? `?${new URLSearchParams(query).toString()}` : '';
    const headers: Record<string, string> = {'X-Requested-With': 'XMLHttpRequest', Accept: 'application/json'};
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      const csrf = csrfToken();
      if (csrf) headers['X-CSRF-Token'] = csrf;
    }
    let res: Response;
    try {
      res = await fetchFn(`${base()}/api/v4${path}${qs}`, {method, headers, credentials: 'include', body: body === undefined ? undefined : JSON.stringify(body)});
    } catch (err) {
      throw new NetworkError(path, err);
    }
    const data = await readBody(res);
    if (!res.ok) {
      const message = data && typeof data === 'object' && typeof (data as {message?: unknown}).message === 'string' ? (data as {message: string}).message : undefined;
      throw new HttpError(res.status, path, message);
    }
    return {status: res.status, data: data as T, headers: res.headers};
  }
  return {
    get: (path, query) => request('GET', path, query),
    post: (path, body) => request('POST', path, undefined, body),
  };
}
