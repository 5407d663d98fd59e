// A tiny translator over our own message tables (English and Dutch), also handed to the host.
import {en, type MessageKey} from './en';
import {nl} from './nl';

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export const MESSAGES: Readonly<Record<string, Readonly<Record<MessageKey, string>>>> = {en, nl};

function table(locale: string): Readonly<Record<MessageKey, string>> {
  return MESSAGES[locale] ?? MESSAGES[locale.split(/[-_]/)[0] ?? ''] ?? en;
}

export function translator(locale: string): Translate {
  const messages = table(locale);
  return (key, vars) => (messages[key] ?? en[key]).replace(/\{(\w+)\}/g, (whole, name: string) => (vars && name in vars ? String(vars[name]) : whole));
}

/** For registerTranslations: our messages under the plugin id, as the host's react-intl expects them. */
export function hostTranslations(pluginId: string): (locale: string) => Record<string, string> {
  return (locale) => Object.fromEntries(Object.entries(table(locale)).map(([k, v]) => [`${pluginId}.${k}`, v]));
}
