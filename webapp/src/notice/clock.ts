// The user's time zone (profiles[me].timezone) and clock (the display_settings use_military_time
// preference, 12-hour unless set), read defensively from the host's state like host/state.ts does; kept in the notice's
// chunk so the entry does not carry it.
import {currentUserId} from '../host/state';
import type {Clock} from './notice_words';

const field = (o: unknown, key: string): unknown => (o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined);
const path = (o: unknown, keys: string[]) => keys.reduce(field, o);

export function userClock(state: unknown): Clock {
  const me = currentUserId(state);
  const tz = me ? path(state, ['entities', 'users', 'profiles', me, 'timezone']) : undefined;
  const automatic = String(field(tz, 'useAutomaticTimezone')) !== 'false';
  const zone = field(tz, automatic ? 'automaticTimezone' : 'manualTimezone');
  const military = path(state, ['entities', 'preferences', 'myPreferences', 'display_settings--use_military_time', 'value']);
  // The web app's default is the 12-hour clock: the same times as its own posts show.
  return {...(typeof zone === 'string' && zone ? {timeZone: zone} : {}), hour12: military !== 'true'};
}
