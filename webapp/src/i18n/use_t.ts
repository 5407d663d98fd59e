// The translator for the current user's language, read from the host's store.
import {useServices} from '../host/services';
import {userLocale} from '../host/state';
import {translator, type Translate} from './translate';

export function useLocale(): string {
  return userLocale(useServices().store.getState());
}

export function useT(): Translate {
  return translator(useLocale());
}
