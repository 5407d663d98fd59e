import {Writable} from 'node:stream';
import {Registry} from 'prom-client';
import {buildApp} from './app';
import {createLogger} from './logger';
import {createMetrics} from './metrics';

const quiet = new Writable({write: (_c, _e, done) => done()});

async function app(ready: {ready: boolean; reason?: string}) {
  const registry = new Registry();
  const metrics = createMetrics(registry, {version: '0.1.0', jobs: [{probe: 'ping', target: 'local'}]});
  metrics.observe({probe: 'ping', target: 'local', ok: true, durationMs: 3, startedAt: 1, checks: []});
  return buildApp({logger: createLogger({level: 'silent', secrets: [], destination: quiet}), registry, readiness: () => ready, routes: [(a) => void a.get('/extra', async () => 'added')]});
}

describe('buildApp', () => {
  it('answers /healthz always', async () => {
    const a = await app({ready: false});
    expect((await a.inject({url: '/healthz'})).json()).toEqual({status: 'ok'});
    await a.close();
  });

  it('answers /readyz 503 with the reason until ready, then 200', async () => {
    let ready = {ready: false, reason: 'first probe cycle running'};
    const registry = new Registry();
    const a = await buildApp({logger: createLogger({level: 'silent', secrets: [], destination: quiet}), registry, readiness: () => ready});
    const before = await a.inject({url: '/readyz'});
    expect(before.statusCode).toBe(503);
    expect(before.json()).toEqual({status: 'not ready', reason: 'first probe cycle running'});
    ready = {ready: true, reason: ''};
    const after = await a.inject({url: '/readyz'});
    expect(after.statusCode).toBe(200);
    expect(after.json()).toEqual({status: 'ready'});
    await a.close();
  });

  it('serves the registry as Prometheus text', async () => {
    const a = await app({ready: true});
    const res = await a.inject({url: '/metrics'});
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('healthcheck_probe_success{probe="ping",target="local"} 1');
    await a.close();
  });

  it('serves no /metrics with metrics: false (it has an address of its own), still /healthz and /readyz', async () => {
    const a = await buildApp({logger: createLogger({level: 'silent', secrets: [], destination: quiet}), registry: new Registry(), readiness: () => ({ready: true}), metrics: false});
    expect((await a.inject({url: '/metrics'})).statusCode).toBe(404);
    expect((await a.inject({url: '/healthz'})).statusCode).toBe(200);
    expect((await a.inject({url: '/readyz'})).statusCode).toBe(200);
    await a.close();
  });

  it('mounts the routes other parts add, and 404s the rest', async () => {
    const a = await app({ready: true});
    expect((await a.inject({url: '/extra'})).body).toBe('added');
    expect((await a.inject({url: '/nope'})).statusCode).toBe(404);
    await a.close();
  });
});
