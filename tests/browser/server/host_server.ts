// The preview host page's own small web server: serves the built host page and reverse-proxies the
// Mattermost paths (REST, websocket upgrade, plugin bundles) so the page is same-origin with the API.
import http from 'node:http';
import net from 'node:net';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import type {AddressInfo} from 'node:net';

export interface HostServerOptions {
  /** The real Mattermost server, e.g. http://127.0.0.1:8065. */
  mattermostUrl: string;
  /** Directory holding the built host page (index.html, host.js). */
  hostDir: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  log?: (line: string) => void;
}

export interface HostServer {
  url: string;
  close(): Promise<void>;
}

/** Paths the Mattermost web app reaches on its own origin; everything else is the host page. */
export const PROXIED_PREFIXES = ['/api/v4/', '/static/', '/plugins/'] as const;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export function isProxied(url: string): boolean {
  return PROXIED_PREFIXES.some((prefix) => url.startsWith(prefix));
}

const TEAM_PAGE = /^\/[a-z0-9_-]+\/[a-z0-9._-]+\/[a-z0-9/_-]+$/i;

/** Maps a request path to a file of the host page, or null (no traversal outside hostDir). */
export function hostFile(hostDir: string, urlPath: string): string | null {
  const clean = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  // A plugin's page under a team (/<team>/<plugin id>/…) is the page itself, so such a path reloads.
  const page = clean === '/' || clean === '/index.html' || TEAM_PAGE.test(clean);
  const name = page ? 'index.html' : clean.startsWith('/host/') ? clean.slice('/host/'.length) : null;
  if (!name || !(path.extname(name) in CONTENT_TYPES)) return null;
  const file = path.resolve(hostDir, name);
  return file.startsWith(path.resolve(hostDir) + path.sep) ? file : null;
}

/**
 * Mattermost accepts a websocket only from its site URL's origin. This page stands in for that
 * origin, so its own Origin is passed on as the site's (and Host is the site's); any other origin
 * is passed on unchanged.
 */
export function upgradeHeader(name: string, value: string, ownHost: string | undefined, target: URL): string {
  const header = name.toLowerCase();
  if (header === 'host') return target.host;
  return header === 'origin' && ownHost && value === `http://${ownHost}` ? target.origin : value;
}

export function parseTarget(mattermostUrl: string): URL {
  const target = new URL(mattermostUrl);
  if (target.protocol !== 'http:') throw new Error(`the preview proxies plain http only (got ${target.protocol} in ${mattermostUrl})`);
  return target;
}

export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const target = parseTarget(options.mattermostUrl);
  const targetPort = Number(target.port || 80);
  const log = options.log ?? (() => undefined);

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (isProxied(url)) {
      // Host is the site's: Mattermost builds URLs from it (a slash command's response_url, for one).
      const upstream = http.request({host: target.hostname, port: targetPort, method: req.method, path: url, headers: {...req.headers, host: target.host}}, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', (err) => {
        log(`proxy ${req.method} ${url.split('?')[0]}: ${err.message}`);
        if (!res.headersSent) res.writeHead(502, {'Content-Type': 'application/json'});
        res.end(JSON.stringify({id: 'preview.proxy.unreachable', message: `Mattermost at ${target.origin} is unreachable: ${err.message}`, status_code: 502}));
      });
      req.pipe(upstream);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, {'Content-Type': 'text/plain'}).end('method not allowed\n');
      return;
    }
    const file = hostFile(options.hostDir, url);
    if (!file) {
      res.writeHead(404, {'Content-Type': 'text/plain'}).end('not found\n');
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, {'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store'}).end(body),
      () => res.writeHead(404, {'Content-Type': 'text/plain'}).end('not built: run node tests/browser/build.js\n'),
    );
  });

  server.on('upgrade', (req, socket, head) => {
    const url = req.url ?? '/';
    if (!url.startsWith('/api/v4/websocket')) {
      socket.destroy();
      return;
    }
    const upstream = net.connect(targetPort, target.hostname, () => {
      const lines = [`${req.method} ${url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${upgradeHeader(req.rawHeaders[i] ?? '', req.rawHeaders[i + 1] ?? '', req.headers.host, target)}`);
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const closeBoth = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', (err) => {
      log(`proxy websocket: ${err.message}`);
      closeBoth();
    });
    socket.on('error', closeBoth);
    upstream.on('close', closeBoth);
    socket.on('close', closeBoth);
  });

  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Upgraded websocket sockets are no longer tracked by the server: end them too.
        for (const s of sockets) s.destroy();
      }),
  };
}
