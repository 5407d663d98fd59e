// The stand-in custom slash command of the /healthcheck benchmark: reads the request and answers an
// ephemeral "ok" (or STANDIN_TEXT) at once. Its own process, so the bench's client side does not share its CPU.
import http from 'node:http';

const body = JSON.stringify({response_type: 'ephemeral', text: process.env.STANDIN_TEXT || 'ok'});
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)});
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
