// Mattermost's standard light (Denim) and dark (Onyx) themes, and the CSS variables the web app
// sets from a theme (--center-channel-bg, --center-channel-color-rgb, --button-bg, …).
import type {ThemeName} from './store';

export type Theme = Record<string, string>;

export const THEMES: Record<ThemeName, Theme> = {
  light: {
    type: 'Denim',
    sidebarBg: '#1e325c',
    sidebarText: '#ffffff',
    sidebarUnreadText: '#ffffff',
    sidebarTextHoverBg: '#28427b',
    sidebarTextActiveBorder: '#5d89ea',
    sidebarTextActiveColor: '#ffffff',
    sidebarHeaderBg: '#192a4d',
    sidebarHeaderTextColor: '#ffffff',
    sidebarTeamBarBg: '#14213e',
    onlineIndicator: '#3db887',
    awayIndicator: '#ffbc1f',
    dndIndicator: '#d24b4e',
    mentionBg: '#ffffff',
    mentionColor: '#1e325c',
    centerChannelBg: '#ffffff',
    centerChannelColor: '#3f4350',
    newMessageSeparator: '#cc8f00',
    linkColor: '#386fe5',
    buttonBg: '#1c58d9',
    buttonColor: '#ffffff',
    errorTextColor: '#d24b4e',
    mentionHighlightBg: '#ffd470',
    mentionHighlightLink: '#1b1d22',
    codeTheme: 'github',
  },
  dark: {
    type: 'Onyx',
    sidebarBg: '#202228',
    sidebarText: '#ffffff',
    sidebarUnreadText: '#ffffff',
    sidebarTextHoverBg: '#25262a',
    sidebarTextActiveBorder: '#4a7ce8',
    sidebarTextActiveColor: '#ffffff',
    sidebarHeaderBg: '#24272d',
    sidebarHeaderTextColor: '#ffffff',
    sidebarTeamBarBg: '#1b1d22',
    onlineIndicator: '#3db887',
    awayIndicator: '#f5ab07',
    dndIndicator: '#d24b4e',
    mentionBg: '#1c58d9',
    mentionColor: '#ffffff',
    centerChannelBg: '#191b1f',
    centerChannelColor: '#e3e4e8',
    newMessageSeparator: '#1adbdb',
    linkColor: '#5d89ea',
    buttonBg: '#1c58d9',
    buttonColor: '#ffffff',
    errorTextColor: '#da6c6e',
    mentionHighlightBg: '#0d6e6e',
    mentionHighlightLink: '#a4f4f4',
    codeTheme: 'monokai',
  },
};

/** '#1c58d9' → '28, 88, 217', the form of the web app's *-rgb variables. */
export function toRgbValues(hex: string): string {
  const h = hex.replace('#', '');
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)).join(', ');
}

const VARIABLE_NAMES: Record<string, string> = {errorTextColor: 'error-text'};

/** The CSS variables for a theme: each colour, kebab-cased, with an -rgb twin. */
export function themeVariables(theme: Theme): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [key, value] of Object.entries(theme)) {
    if (!/^#[0-9a-fA-F]{6}$/.test(value)) continue;
    const name = VARIABLE_NAMES[key] ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    vars[`--${name}`] = value;
    vars[`--${name}-rgb`] = toRgbValues(value);
  }
  return vars;
}

export function applyTheme(root: HTMLElement, theme: Theme): void {
  for (const [name, value] of Object.entries(themeVariables(theme))) root.style.setProperty(name, value);
  root.dataset.theme = theme.type ?? '';
}
