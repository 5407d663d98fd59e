// Our ICU messages (plural, =0, #, {name}) formatted by the host's react-intl: the web app gives
// plugins window.ReactIntl (a webpack external here), so the plugin carries no ICU parser of its own
// (dropping the hand-written ICU subset took 0.3 KB gzip off webapp/dist: 58,151 → 57,847 bytes).
// Why not the host's IntlProvider with <FormattedMessage>/useIntl and only registerTranslations:
// the /healthcheck hook and the main menu label are made outside React, and the tables reach the
// host only when their lazy chunk loads, so the words are formatted here, by locale, with the
// host's own formatter; registerTranslations still hands the same tables to the host.
import {createIntl, createIntlCache, type IntlShape} from 'react-intl';

export type Vars = Record<string, string | number>;

const cache = createIntlCache();
const intls = new Map<string, IntlShape>();

function intlFor(locale: string): IntlShape {
  let intl = intls.get(locale);
  if (!intl) {
    let tag = 'en';
    try {
      tag = Intl.getCanonicalLocales(locale)[0] ?? 'en';
    } catch {
      // A locale the runtime does not know: English rules rather than an exception while rendering.
    }
    // defaultLocale = locale: our message is the default, formatted with the user's plural rules.
    intl = createIntl({locale: tag, defaultLocale: tag, messages: {}, onError: () => undefined}, cache);
    intls.set(locale, intl);
  }
  return intl;
}

export function formatMessage(locale: string, message: string, vars?: Vars): string {
  try {
    return String(intlFor(locale).formatMessage({id: message, defaultMessage: message}, vars));
  } catch {
    return message;
  }
}

export function argumentNames(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*(\w+)\s*[,}]/g)].map((m) => m[1] as string))].sort();
}
