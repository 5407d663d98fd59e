// A throwaway HTTP server on 127.0.0.1:<ephemeral> for unit tests of probes (the unit boundary).
import http from 'node:http';
import type {AddressInfo} from 'node:net';

export interface LocalHttp {
  url: string;
  requests: {method: string; url: string; headers: http.IncomingHttpHeaders; body: string}[];
  close(): Promise<void>;
}

export type LocalHandler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

export async function localHttp(handler: LocalHandler): Promise<LocalHttp> {
  const requests: LocalHttp['requests'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({method: req.method ?? '', url: req.url ?? '', headers: req.headers, body});
      handler(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {'Content-Type': 'application/json', ...headers}).end(JSON.stringify(body));
}
