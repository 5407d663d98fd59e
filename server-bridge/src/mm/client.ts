// The lean client of the probes and the running bridge, on node:http (mm/http.ts): Client4 (setup's,
// mm/admin-client.ts) takes no per-request signal or timing, follows redirects, and loses the status
// of an answer that is not Mattermost's.
import {MattermostApiError, MattermostUnreachableError, apiErrorOf, describeError, unreachableOf} from './errors';
import {httpFetch, type FetchLike, type HttpAnswer} from './http';

export type {FetchLike, HttpAnswer} from './http';

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  signal?: AbortSignal;
  /** Overrides the client's token for this call. */
  token?: string | null;
  /** Accept these statuses as answers instead of throwing (ping answers 500 when unhealthy). */
  acceptStatus?: readonly number[];
  /** Told the performance.now() at which the request was written to the socket (see http.ts). */
  onSent?: (at: number) => void;
}

export interface ApiResponse<T> {
  status: number;
  headers: HttpAnswer['headers'];
  data: T;
}

export interface MattermostClientOptions {
  url: string;
  token?: string | null;
  fetch?: FetchLike;
  userAgent?: string;
}

export function apiPath(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return `/api/v4${path}${qs ? `?${qs}` : ''}`;
}

export class MattermostClient {
  readonly baseUrl: string;
  private token: string | null;
  private readonly fetchImpl: FetchLike;
  private readonly userAgent: string;

  constructor(options: MattermostClientOptions) {
    this.baseUrl = options.url.replace(/\/+$/, '');
    this.token = options.token ?? null;
    this.fetchImpl = options.fetch ?? httpFetch;
    this.userAgent = options.userAgent ?? 'mattermost-healthcheck-bridge';
  }

  withToken(token: string | null): MattermostClient {
    return new MattermostClient({url: this.baseUrl, token, fetch: this.fetchImpl, userAgent: this.userAgent});
  }

  /** A raw call to any path on the server (e.g. /login), returning the answer unread; redirects are answers. */
  async raw(
    method: string,
    path: string,
    init: {signal?: AbortSignal; headers?: Record<string, string>; body?: string; token?: string | null; onSent?: (at: number) => void} = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = {'User-Agent': this.userAgent, 'X-Requested-With': 'XMLHttpRequest', ...init.headers};
    const token = init.token === undefined ? this.token : init.token;
    if (token) headers.Authorization = `Bearer ${token}`;
    try {
      return await this.fetchImpl(this.baseUrl + path, {method, headers, body: init.body, signal: init.signal, onSent: init.onSent});
    } catch (err) {
      throw unreachableOf(err, method, path, init.signal);
    }
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const fullPath = apiPath(path, options.query);
    const hasBody = options.body !== undefined;
    const res = await this.raw(method, fullPath, {
      signal: options.signal,
      token: options.token,
      onSent: options.onSent,
      headers: hasBody ? {'Content-Type': 'application/json'} : {},
      body: hasBody ? JSON.stringify(options.body) : undefined,
    });
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new MattermostUnreachableError(`${method} ${path} failed while reading the answer: ${describeError(err)}`, method, path, options.signal?.aborted ?? false, {cause: err});
    }
    let data: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('application/json') && text.length > 0) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    if (!res.ok && !(options.acceptStatus ?? []).includes(res.status)) throw apiErrorOf(res.status, res.statusText, data, method, path);
    return {status: res.status, headers: res.headers, data: data as T};
  }

  async get<T>(path: string, options?: RequestOptions): Promise<T> {
    return (await this.request<T>('GET', path, options)).data;
  }
  async post<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return (await this.request<T>('POST', path, {...options, body})).data;
  }
  async put<T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> {
    return (await this.request<T>('PUT', path, {...options, body})).data;
  }
  async delete<T>(path: string, options?: RequestOptions): Promise<T> {
    return (await this.request<T>('DELETE', path, options)).data;
  }
}

/** True when the error is a Mattermost answer with this status (e.g. 404 for "not found"). */
export function isStatus(err: unknown, status: number): boolean {
  return err instanceof MattermostApiError && err.status === status;
}
