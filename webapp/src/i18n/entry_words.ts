// The few words the entry shows itself (menu label, loading and failure lines): every user loads
// these; the full tables (en.ts, nl.ts) ride in the lazy chunks that show the rest.
import {useServices} from '../host/services';
import {userLocale} from '../host/state';
import {languageOf} from './language';

export const entryEn = {
  'page.menu': 'Mattermost status',
  'panel.loading': 'Loading the health panel…',
  'panel.loadFailed': 'The health panel could not be loaded. Reload the page to try again.',
};

export type EntryKey = keyof typeof entryEn;

export const entryNl: Record<EntryKey, string> = {
  'page.menu': 'Status van Mattermost',
  'panel.loading': 'Het gezondheidspaneel wordt geladen…',
  'panel.loadFailed': 'Het gezondheidspaneel kon niet worden geladen. Herlaad de pagina om het opnieuw te proberen.',
};

const ENTRY: Readonly<Record<string, Record<EntryKey, string>>> = {en: entryEn, nl: entryNl};

/** The entry's words in the language that serves `locale` (they have no placeholders). */
export function entryWords(locale: string): Record<EntryKey, string> {
  return ENTRY[languageOf(locale, ENTRY)] ?? entryEn;
}

export function useLocale(): string {
  return userLocale(useServices().store.getState());
}

export function useEntryWords(): Record<EntryKey, string> {
  return entryWords(useLocale());
}
