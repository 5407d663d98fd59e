import {Registry} from 'prom-client';
import {CommandTokens} from './command-tokens';
import type {CommandToken} from './token';

describe('CommandTokens', () => {
  it('replaces the tokens on every read instead of adding to them', async () => {
    const reads: CommandToken[][] = [[{teamId: 'a', token: 'old-token-a', commandId: 'c1'}], [{teamId: 'a', token: 'new-token-a', commandId: 'c2'}]];
    const learned: string[] = [];
    const tokens = new CommandTokens({load: async () => reads.shift() ?? [], onToken: (t) => learned.push(t)});
    await tokens.refresh();
    expect(tokens.current().map((t) => t.token)).toEqual(['old-token-a']);
    await tokens.refresh();
    expect(tokens.current().map((t) => t.token)).toEqual(['new-token-a']);
    await tokens.refresh();
    expect(tokens.current()).toEqual([]);
    expect(learned).toEqual(['old-token-a', 'new-token-a']);
  });

  it('keeps the known tokens when a read fails', async () => {
    let fail = false;
    const tokens = new CommandTokens({load: async () => (fail ? Promise.reject(new Error('down')) : [{teamId: 'a', token: 'token-a', commandId: null}])});
    await tokens.refresh();
    fail = true;
    await expect(tokens.refresh()).rejects.toThrow('down');
    expect(tokens.current()).toHaveLength(1);
  });

  it('reads on demand for a refused token at most once a minute per team, and never again for a token refused after a read; counted', async () => {
    let clock = 0;
    let loads = 0;
    const registry = new Registry();
    const tokens = new CommandTokens({load: async () => (loads++, [{teamId: 'a', token: 'good-a', commandId: 'c'}]), now: () => clock, registry});
    await Promise.all([tokens.refreshSoon('a', 'bad-1'), tokens.refreshSoon('a', 'bad-2'), tokens.refreshSoon('a', 'bad-3')]);
    expect(loads).toBe(1);
    clock = 59_000;
    await tokens.refreshSoon('a', 'bad-4');
    // Another team has a minute of its own.
    await tokens.refreshSoon('b', 'bad-4');
    expect(loads).toBe(2);
    clock = 60_000;
    // A token refused after a read never makes another one, however long after.
    for (const bad of ['bad-1', 'bad-2', 'bad-3']) await tokens.refreshSoon('a', bad);
    expect(loads).toBe(2);
    await tokens.refreshSoon('a', 'bad-5');
    expect(loads).toBe(3);
    const metric = await registry.getSingleMetricAsString('healthcheck_bridge_slash_token_rereads_total');
    expect(metric).toContain('{result="read"} 5');
    expect(metric).toContain('{result="throttled"} 1');
    expect(metric).toContain('{result="failed_before"} 3');
  });

  it('does not remember a token as refused when the read failed', async () => {
    let fail = true;
    let loads = 0;
    let clock = 0;
    const tokens = new CommandTokens({load: async () => (loads++, fail ? Promise.reject(new Error('down')) : [{teamId: 'a', token: 'new-a', commandId: 'c'}]), now: () => clock});
    await tokens.refreshSoon('a', 'new-a');
    fail = false;
    clock = 60_000;
    await tokens.refreshSoon('a', 'new-a');
    expect(loads).toBe(2);
    expect(tokens.current()).toHaveLength(1);
  });

  it('reads on demand even just after a periodic read', async () => {
    let loads = 0;
    const tokens = new CommandTokens({load: async () => (loads++, []), now: () => 0});
    await tokens.refresh();
    await tokens.refreshSoon('a', 'x');
    expect(loads).toBe(2);
  });
});
