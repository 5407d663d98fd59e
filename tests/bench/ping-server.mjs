// A minimal HTTP server for the throughput benchmark: answers every request as Mattermost's ping
// does when healthy. Runs in its own process so its CPU is not counted against the client side.
import http from 'node:http';

const body = JSON.stringify({status: 'OK', ActiveSearchBackend: 'database'});
const server = http.createServer((_req, res) => {
  res.writeHead(200, {'Content-Type': 'application/json', 'X-Version-Id': '11.4.0.0.bench.false', 'Content-Length': Buffer.byteLength(body)});
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
