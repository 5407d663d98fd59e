// The translator for the current user's language, read from the host's store.
import {useLocale} from './entry_words';
import {translator, type Translate} from './translate';

export {useLocale};

export function useT(): Translate {
  return translator(useLocale());
}
