// `healthcheck-bridge run`: a first entry that starts an HTTP server and stops cleanly on signals.
// The prober, incidents and slash command are wired here as they arrive.
import http from 'node:http';

export async function runBridge(env: NodeJS.ProcessEnv): Promise<number> {
  const listen = env.HEALTHCHECK_LISTEN ?? '127.0.0.1:8075';
  const [host, portText] = listen.split(':');
  const port = Number(portText);
  if (!host || !Number.isInteger(port) || port <= 0 || port > 65535) {
    process.stderr.write(`invalid configuration:\n  HEALTHCHECK_LISTEN: expected HOST:PORT, got "${listen}"\n`);
    return 2;
  }
  const server = http.createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, {'Content-Type': 'application/json'}).end('{"status":"ok"}');
      return;
    }
    res.writeHead(404, {'Content-Type': 'application/json'}).end('{"error":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  process.stderr.write(`healthcheck-bridge listening on http://${listen}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}
