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

  it('reads on demand at most once per interval, and shares a read in flight', async () => {
    let clock = 0;
    let loads = 0;
    const tokens = new CommandTokens({load: async () => (loads++, []), minIntervalMs: 1000, now: () => clock});
    await Promise.all([tokens.refreshSoon(), tokens.refreshSoon(), tokens.refreshSoon()]);
    expect(loads).toBe(1);
    clock = 500;
    await tokens.refreshSoon();
    expect(loads).toBe(1);
    clock = 1000;
    await tokens.refreshSoon();
    expect(loads).toBe(2);
  });

  it('reads on demand even just after a periodic read', async () => {
    let loads = 0;
    const tokens = new CommandTokens({load: async () => (loads++, []), minIntervalMs: 10_000, now: () => 0});
    await tokens.refresh();
    await tokens.refreshSoon();
    expect(loads).toBe(2);
  });
});
