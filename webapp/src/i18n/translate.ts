// A tiny translator over our own message tables (English and Dutch), also handed to the host.
import {en, type MessageKey} from './en';
import {formatMessage, type Vars} from './message_format';
import {nl} from './nl';

export type {Vars};
export type Translate = (key: MessageKey, vars?: Vars) => string;

export const MESSAGES: Readonly<Record<string, Readonly<Record<MessageKey, string>>>> = {en, nl};

/** The language whose table serves `locale` (regional variants use their language; others English). */
function language(locale: string): string {
  if (MESSAGES[locale]) return locale;
  const base = locale.split(/[-_]/)[0] ?? '';
  return MESSAGES[base] ? base : 'en';
}

export function translator(locale: string): Translate {
  const lang = language(locale);
  const messages = MESSAGES[lang] ?? en;
  // Plural forms follow the language of the words shown, not the user's locale.
  return (key, vars) => formatMessage(lang, messages[key] ?? en[key], vars);
}

/** For registerTranslations: our messages under the plugin id, as the host's react-intl expects them. */
export function hostTranslations(pluginId: string): (locale: string) => Record<string, string> {
  return (locale) => Object.fromEntries(Object.entries(MESSAGES[language(locale)] ?? en).map(([k, v]) => [`${pluginId}.${k}`, v]));
}
