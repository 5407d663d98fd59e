import {HealthCheckPlugin} from './index';

describe('HealthCheckPlugin', () => {
  it('never throws from initialize, even with a broken registry', () => {
    const plugin = new HealthCheckPlugin();
    const registry = new Proxy({}, {get: () => { throw new Error('boom'); }});
    expect(() => plugin.initialize(registry)).not.toThrow();
    expect(() => plugin.uninitialize()).not.toThrow();
  });
});
