// The notice's words (English and Dutch) and how they make a sentence: they ride in the notice's
// lazy chunk, loaded only while there is a notice.
import type {Notice, ServiceKey} from '@contract-notice';

type Words = {
  slow: Record<ServiceKey, string>;
  down: Record<ServiceKey, string>;
  names: Record<ServiceKey, string>;
  since: string;
  details: string;
  hide: string;
};

const en: Words = {
  slow: {
    signIn: 'signing in is slow',
    messages: 'sending messages is slow',
    search: 'search is slow',
    channels: 'joining channels is slow',
    server: 'Mattermost is slow',
    mobile: 'mobile notifications are slow',
  },
  down: {
    signIn: 'signing in does not work',
    messages: 'sending messages does not work',
    search: 'search does not work',
    channels: 'joining channels does not work',
    server: 'Mattermost does not answer',
    mobile: 'mobile notifications do not arrive',
  },
  names: {signIn: 'signing in', messages: 'sending messages', search: 'search', channels: 'joining channels', server: 'Mattermost', mobile: 'mobile notifications'},
  since: '{what} since {time} — the admins are on it.',
  details: 'Status',
  hide: 'Hide this notice',
};

const nl: Words = {
  slow: {
    signIn: 'aanmelden is traag',
    messages: 'berichten versturen is traag',
    search: 'zoeken is traag',
    channels: 'kanalen betreden is traag',
    server: 'Mattermost is traag',
    mobile: 'meldingen op mobiel zijn traag',
  },
  down: {
    signIn: 'aanmelden werkt niet',
    messages: 'berichten versturen werkt niet',
    search: 'zoeken werkt niet',
    channels: 'kanalen betreden werkt niet',
    server: 'Mattermost antwoordt niet',
    mobile: 'meldingen op mobiel komen niet aan',
  },
  names: {signIn: 'aanmelden', messages: 'berichten versturen', search: 'zoeken', channels: 'kanalen betreden', server: 'Mattermost', mobile: 'meldingen op mobiel'},
  since: '{what} sinds {time} — de beheerders zijn ermee bezig.',
  details: 'Status',
  hide: 'Deze melding verbergen',
};

export const noticeWords = (locale: string): Words => (locale.toLowerCase().startsWith('nl') ? nl : en);
const lang = (locale: string) => (locale.toLowerCase().startsWith('nl') ? 'nl' : 'en');

export interface Clock {
  timeZone?: string;
  hour12?: boolean;
}

/** The time in the user's zone and clock: only the time today, with the date before. */
export function noticeTime(locale: string, at: number, now: number, clock: Clock): string {
  const opts: Intl.DateTimeFormatOptions = {hour: 'numeric', minute: '2-digit', ...clock};
  let day: (t: number) => string;
  try {
    day = (t) => new Intl.DateTimeFormat(lang(locale), {dateStyle: 'short', timeZone: clock.timeZone}).format(t);
    day(now);
  } catch {
    // A zone the runtime does not know: the browser's own.
    delete opts.timeZone;
    day = (t) => new Intl.DateTimeFormat(lang(locale), {dateStyle: 'short'}).format(t);
  }
  const sameDay = day(at) === day(now);
  return new Intl.DateTimeFormat(lang(locale), sameDay ? opts : {...opts, month: 'short', day: 'numeric'}).format(at);
}

const list = (locale: string, parts: string[]) => new Intl.ListFormat(lang(locale), {type: 'conjunction'}).format(parts);
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "Sending messages is slow since 10:02 — the admins are on it.", or the admins' own words filled in. */
export function noticeSentence(locale: string, notice: Notice, time: string, custom: string | null): string {
  const w = noticeWords(locale);
  if (custom) {
    const names = list(
      locale,
      notice.services.map((s) => w.names[s.key]),
    );
    return custom.replaceAll('{services}', names).replaceAll('{since}', time);
  }
  const what = list(
    locale,
    notice.services.map((s) => (s.down ? w.down : w.slow)[s.key]),
  );
  return capital(w.since.replace('{what}', what).replace('{time}', time));
}
