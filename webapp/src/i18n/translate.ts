// A tiny translator over our own message tables (English and Dutch), also handed to the host.
import {entryEn, entryNl, type EntryKey} from './entry_words';
import {en as enTable, type TableKey} from './en';
import {languageOf} from './language';
import {formatMessage, type Vars} from './message_format';
import {nl as nlTable} from './nl';

export type {Vars};
export type MessageKey = TableKey | EntryKey;
export type Translate = (key: MessageKey, vars?: Vars) => string;

const en: Readonly<Record<MessageKey, string>> = {...entryEn, ...enTable};
export const MESSAGES: Readonly<Record<string, Readonly<Record<MessageKey, string>>>> = {en, nl: {...entryNl, ...nlTable}};

export function translator(locale: string): Translate {
  const lang = languageOf(locale, MESSAGES);
  const messages = MESSAGES[lang] ?? en;
  // Plural forms follow the language of the words shown, not the user's locale.
  return (key, vars) => formatMessage(lang, messages[key] ?? en[key], vars);
}

/** For registerTranslations: our messages under the plugin id, as the host's react-intl expects them. */
export function hostTranslations(pluginId: string): (locale: string) => Record<string, string> {
  return (locale) => Object.fromEntries(Object.entries(MESSAGES[languageOf(locale, MESSAGES)] ?? en).map(([k, v]) => [`${pluginId}.${k}`, v]));
}
