// Live ping of the server from this browser: GET /api/v4/system/ping, deep only when asked.
import type {Http} from './http';

export interface PingResult {
  status: string;
  /** Only with the deep check (get_server_status=true), which writes to the database. */
  database?: string;
  filestore?: string;
  searchBackend?: string;
  /** From X-Version-Id (`<version>.<build>.<hash>.<licensed>`). */
  version: string | null;
  rttMs: number;
  deep: boolean;
  checkedAt: number;
}

/** The ping answer: @mattermost/types has no type of it (Client4 types it inline, in part). */
interface PingBody {
  status?: unknown;
  database_status?: unknown;
  filestore_status?: unknown;
  ActiveSearchBackend?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function versionFromHeader(header: string | null): string | null {
  return header ? (/^\d+\.\d+\.\d+/.exec(header)?.[0] ?? null) : null;
}

export async function ping(http: Http, deep: boolean, now: () => number = () => performance.now()): Promise<PingResult> {
  // use_rest_semantics: UNHEALTHY comes back as 200 with its body instead of a bare 500.
  const query: Record<string, string> = {use_rest_semantics: 'true'};
  // Older servers ran the deep check for any value, so the parameter is sent only when wanted.
  if (deep) query.get_server_status = 'true';
  const started = now();
  const res = await http.get<PingBody | null>('/system/ping', query);
  const rttMs = now() - started;
  const body = res.data ?? {};
  return {
    status: str(body.status) ?? 'UNKNOWN',
    database: str(body.database_status),
    filestore: str(body.filestore_status),
    searchBackend: str(body.ActiveSearchBackend),
    version: versionFromHeader(res.headers.get('X-Version-Id')),
    rttMs,
    deep,
    checkedAt: Date.now(),
  };
}
