// An SLO's error budget left over its window as time passed: uPlot (the chart chunk), one line
// from the report's points, the zero line marked (below it the budget is overspent).
import {useEffect, useRef} from 'react';
import uPlot from 'uplot';
import type {SloReport} from '@contract';
import {budgetOptions} from './budget_options';
import {useChartColors} from './theme_colors';

export interface BudgetChartProps {
  slo: SloReport;
  label: string;
  height?: number;
}

export default function BudgetChart({slo, label, height = 110}: BudgetChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const colors = useChartColors(box);
  useEffect(() => {
    const el = box.current;
    if (!el || !colors) return;
    const {options, data} = budgetOptions(slo, colors, label, Math.max(200, el.clientWidth || 320), height);
    const plot = new uPlot(options, data, el);
    return () => plot.destroy();
  }, [slo, label, height, colors]);
  return <div ref={box} className='healthcheck-chart' role='img' aria-label={label} data-testid='healthcheck-budget-chart' data-slo={slo.name} />;
}
