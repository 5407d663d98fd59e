// The bridge's HTTP server: /metrics, /healthz (the process answers), /readyz (configured and the
// first probe cycle done). Other parts add their routes (the slash command) through `routes`.
import Fastify, {LogController, type FastifyBaseLogger, type FastifyInstance} from 'fastify';
import type {Registry} from 'prom-client';
import type {Logger} from './logger';

export interface Readiness {
  ready: boolean;
  /** Why not ready yet, for the operator. */
  reason?: string;
}

export interface AppDeps {
  logger: Logger;
  registry: Registry;
  readiness: () => Readiness;
  routes?: readonly ((app: FastifyInstance) => void | Promise<void>)[];
  /** false: no /metrics here (it is served on an address of its own, HEALTHCHECK_METRICS_LISTEN). */
  metrics?: boolean;
}

const QUIET_PATHS = new Set(['/metrics', '/healthz', '/readyz']);

/** A route's `config` with this set writes no request lines (it logs what matters itself). */
export const QUIET_ROUTE = {quietRequestLog: true} as const;
const quietRoute = (config: unknown) => (config as Partial<typeof QUIET_ROUTE> | undefined)?.quietRequestLog === true;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // Typed as the base logger so the app is a plain FastifyInstance for the routes others add.
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Scrapes and health checks every few seconds would drown the log.
    logController: new LogController({disableRequestLogging: (req) => QUIET_PATHS.has(req.url.split('?')[0] ?? '') || quietRoute(req.routeOptions?.config)}),
  });
  app.get('/healthz', async () => ({status: 'ok'}));
  app.get('/readyz', async (_req, reply) => {
    const r = deps.readiness();
    return r.ready ? {status: 'ready'} : reply.code(503).send({status: 'not ready', reason: r.reason ?? 'starting'});
  });
  if (deps.metrics !== false) {
    app.get('/metrics', async (_req, reply) => {
      reply.header('Content-Type', deps.registry.contentType);
      return deps.registry.metrics();
    });
  }
  for (const route of deps.routes ?? []) await route(app);
  return app;
}
