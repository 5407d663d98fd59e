import {fixture} from '../testing/fixtures';
import type {Report} from '@contract';
import {budgetOptions} from './budget_options';

const colors = {text: 'black', grid: 'grey', line: 'blue', error: 'red'};

describe('budget chart options', () => {
  it('draws the budget in percent over time, red and down to below zero when overspent', () => {
    const slos = fixture<Report>('report.slo.v1.json').slos ?? [];
    const over = slos.find((s) => s.name === 'post-and-receive');
    if (!over) throw new Error('fixture without post-and-receive');
    const {options, data} = budgetOptions(over, colors, 'label', 300, 90);
    expect(data[0]).toHaveLength(30);
    expect(data[1]?.[0]).toBeNull();
    expect(data[1]?.[29]).toBe(-36);
    expect(options.series[1]?.stroke).toBe('red');
    const range = options.scales?.y?.range as () => [number, number];
    expect(range()).toEqual([-50, 100]);
    const splits = options.axes?.[1]?.splits as () => number[];
    expect(splits()).toEqual([-50, 0, 100]);
    const healthy = budgetOptions(slos.find((s) => s.name === 'search') ?? over, colors, 'label', 300, 90);
    expect(healthy.options.series[1]?.stroke).toBe('blue');
    expect((healthy.options.scales?.y?.range as () => [number, number])()).toEqual([0, 100]);
  });
});
