// The chart's colours, read from the theme's CSS variables, and read again when the host switches theme.
import {useLayoutEffect, useState, type RefObject} from 'react';

export interface ChartColors {
  text: string;
  grid: string;
  line: string;
  error: string;
}

function variable(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

/** The colours as the theme sets them where `el` sits on the page (Mattermost's light theme if unset). */
export function readChartColors(el: Element): ChartColors {
  const style = getComputedStyle(el);
  const rgb = variable(style, '--center-channel-color-rgb', '63, 67, 80');
  return {
    text: `rgba(${rgb}, 0.72)`,
    grid: `rgba(${rgb}, 0.12)`,
    line: variable(style, '--button-bg', '#1c58d9'),
    error: variable(style, '--error-text', '#d24b4e'),
  };
}

const same = (a: ChartColors, b: ChartColors) => a.text === b.text && a.grid === b.grid && a.line === b.line && a.error === b.error;

/**
 * The current chart colours of the element in `ref`, null before it is mounted. The web app switches
 * theme by setting CSS variables on the root element (or by replacing a stylesheet): either is observed.
 */
export function useChartColors(ref: RefObject<Element | null>): ChartColors | null {
  const [colors, setColors] = useState<ChartColors | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Only a real change of colour redraws: most mutations on the page are not a theme switch.
    const read = () =>
      setColors((prev) => {
        const next = readChartColors(el);
        return prev && same(prev, next) ? prev : next;
      });
    read();
    const observer = new MutationObserver(read);
    for (const root of [document.documentElement, document.body]) observer.observe(root, {attributes: true, attributeFilter: ['style', 'class', 'data-theme']});
    observer.observe(document.head, {childList: true, subtree: true, characterData: true});
    return () => observer.disconnect();
  }, [ref]);
  return colors;
}
