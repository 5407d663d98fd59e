import {reportSchema, type Report} from '@contract';
import {manyTargetsReport} from './testing/fixtures';

/** The fixture through the contract's schema: what the webapp reads from a trusted post. */
const parseReport = (raw: unknown): Report => reportSchema.parse(raw);
import {filterTargets, isMultiTarget, summariseTargets} from './targets';

describe('target summaries', () => {
  const report = parseReport(manyTargetsReport(50, ['node-7/login', 'node-31/ping']));

  it('gives one line per target, failing ones first, each with its worst probe and uptime', () => {
    const s = summariseTargets(report);
    expect(s).toHaveLength(50);
    expect(s.slice(0, 2).map((x) => [x.name, x.state, x.worst?.probe])).toEqual([
      ['node-31', 'failing', 'ping'],
      ['node-7', 'failing', 'login'],
    ]);
    expect(s.slice(2).every((x) => x.state === 'ok')).toBe(true);
    // The worst of OK probes is the slowest one.
    expect(s.find((x) => x.name === 'node-1')?.worst?.probe).toBe('post_roundtrip');
    expect(s[0]?.uptime24h).toBeGreaterThan(0);
  });

  it('filters by target or probe name, and to the targets that need attention', () => {
    const s = summariseTargets(report);
    expect(filterTargets(s, 'node-3', false).map((x) => x.name)).toEqual(['node-31', 'node-3', 'node-30', 'node-32', 'node-33', 'node-34', 'node-35', 'node-36', 'node-37', 'node-38', 'node-39']);
    expect(filterTargets(s, '', true).map((x) => x.name)).toEqual(['node-31', 'node-7']);
    expect(filterTargets(s, 'LOGIN', false)).toHaveLength(50);
    expect(filterTargets(s, 'nothing', false)).toEqual([]);
  });

  it('tells one target from many', () => {
    expect(isMultiTarget(report)).toBe(true);
    expect(isMultiTarget(parseReport(manyTargetsReport(1)))).toBe(false);
  });
});
