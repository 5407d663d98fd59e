// The degraded-service notice, carried in the bot's custom status (trust.ts botStatus) so that every
// client learns of it from the user_updated event it receives anyway: which services users feel are
// slow or down, and since when. No zod here: the webapp's entry chunk reads this.
//
// Segment: `notice <code><mark>… since <unix seconds, base 36>`, e.g. `notice m~s! since t6x3qo`
// (messages slow, search down). It sits between the trigger and `· report <id>`, so readers that only
// look for the trigger and the report id keep finding them. At most 32 characters.

/** What users feel, each a group of probes (the status page shows the same services). */
export const SERVICES = {
  signIn: ['login', 'login_page'],
  messages: ['post_roundtrip', 'websocket'],
  search: ['search_users', 'search_channels'],
  channels: ['channel_join'],
  server: ['ping', 'server_status'],
  mobile: ['push'],
} as const satisfies Record<string, readonly string[]>;

export type ServiceKey = keyof typeof SERVICES;
export const SERVICE_KEYS = Object.keys(SERVICES) as ServiceKey[];

/** One letter per service in the status text. */
const CODE: Record<ServiceKey, string> = {signIn: 'i', messages: 'm', search: 's', channels: 'c', server: 'v', mobile: 'p'};

export interface NoticeService {
  key: ServiceKey;
  /** true: failing (down); false: degraded (slow). */
  down: boolean;
}

export interface Notice {
  services: NoticeService[];
  /** Epoch ms, whole seconds. */
  since: number;
}

export const servicesOf = (probes: readonly string[]): ServiceKey[] => SERVICE_KEYS.filter((k) => (SERVICES[k] as readonly string[]).some((p) => probes.includes(p)));

/** The status text's segment for a notice (services in SERVICE_KEYS order), or '' for none. */
export function noticeSegment(notice: Notice | null): string {
  if (!notice || notice.services.length === 0) return '';
  const codes = SERVICE_KEYS.flatMap((k) => {
    const s = notice.services.find((x) => x.key === k);
    return s ? [`${CODE[k]}${s.down ? '!' : '~'}`] : [];
  }).join('');
  return `notice ${codes} since ${Math.max(0, Math.floor(notice.since / 1000)).toString(36)}`;
}

const SEGMENT = /· notice ((?:[a-z][!~]){1,6}) since ([0-9a-z]{1,8}) ·/;

/** The notice a status text carries, or null (none, or not one this version can read). */
export function parseNotice(text: string): Notice | null {
  const m = SEGMENT.exec(text);
  if (!m?.[1] || !m[2]) return null;
  const services: NoticeService[] = [];
  for (const [, code, mark] of m[1].matchAll(/([a-z])([!~])/g)) {
    const key = SERVICE_KEYS.find((k) => CODE[k] === code);
    if (key && !services.some((s) => s.key === key)) services.push({key, down: mark === '!'});
  }
  const since = parseInt(m[2], 36) * 1000;
  return services.length > 0 && Number.isFinite(since) ? {services, since} : null;
}
