// Entry of the preview server (make demo): reads the environment, listens, stops on signals.
//   MM_URL (the Mattermost server)  PREVIEW_PORT (8076)  PREVIEW_HOST_DIR (beside this file)
import {startHostServer} from './host_server';

async function main(): Promise<number> {
  const mattermostUrl = process.env.MM_URL ?? '';
  const port = Number(process.env.PREVIEW_PORT ?? '8076');
  const problems: string[] = [];
  if (!mattermostUrl) problems.push('MM_URL is not set (the Mattermost server, e.g. http://127.0.0.1:8065)');
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PREVIEW_PORT must be a port number (got "${process.env.PREVIEW_PORT}")`);
  if (problems.length > 0) {
    process.stderr.write(`preview: cannot start:\n  - ${problems.join('\n  - ')}\n`);
    return 2;
  }
  const server = await startHostServer({
    mattermostUrl,
    port,
    hostDir: process.env.PREVIEW_HOST_DIR ?? __dirname,
    log: (line) => process.stderr.write(`preview: ${line}\n`),
  });
  process.stdout.write(`${server.url}/\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await server.close();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`preview: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
