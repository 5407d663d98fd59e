// Theme colours become the web app's CSS variables, each with an -rgb twin.
import {THEMES, themeVariables, toRgbValues} from './theme';

describe('themeVariables', () => {
  it('names variables as the web app does', () => {
    const vars = themeVariables(THEMES.dark);
    expect(vars['--center-channel-bg']).toBe('#191b1f');
    expect(vars['--center-channel-color-rgb']).toBe('227, 228, 232');
    expect(vars['--error-text']).toBe('#da6c6e');
    expect(vars['--button-bg-rgb']).toBe(toRgbValues('#1c58d9'));
  });
  it('skips values that are not colours', () => {
    expect(Object.keys(themeVariables(THEMES.light)).some((k) => k.includes('code-theme') || k.includes('type'))).toBe(false);
  });
});
