// Generated requests for the bridge's POST /slash/healthcheck: random and malformed bodies, huge
// fields, wrong, missing and cross-team tokens, odd encodings. Each case knows whether it carries
// the right token for its team, as Mattermost's form would be read (first value of a field; the
// Authorization header only when the form has no token), so a run can check that nothing else is
// ever accepted.

export interface FuzzTeam {
  id: string;
  token: string;
}

export interface FuzzContext {
  teams: readonly FuzzTeam[];
  /** A real, non-admin user (answers that need the server's view of the caller). */
  userId: string;
  trigger: string;
  random: () => number;
}

export interface FuzzCase {
  kind: string;
  headers: Record<string, string>;
  body: Buffer;
  /** True only when the body is a form whose first token (or the header's) is its first team_id's token. */
  rightToken: boolean;
  /** Token values sent (to check none comes back in an answer). */
  sentTokens: string[];
}

const FORM = 'application/x-www-form-urlencoded';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function seededRandom(seed: number): () => number {
  // mulberry32: small, fast, and the same sequence for the same seed (a failure can be replayed).
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)] as T;
}

function word(r: () => number, length: number, alphabet = ALPHABET): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(r() * alphabet.length)];
  return out;
}

function junk(r: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCharCode(Math.floor(r() * 0x2fff));
  return out;
}

/** A token that is close to a real one but not it. */
function nearToken(r: () => number, real: string): string {
  const variants = [
    () => real.toUpperCase(),
    () => real.slice(0, -1),
    () => `${real}x`,
    () => `${real.slice(0, -1)}${real.endsWith('a') ? 'b' : 'a'}`,
    () => ` ${real}`,
    () => `${real}\u0000`,
    () => real.split('').reverse().join(''),
    () => word(r, real.length),
    () => '',
  ];
  return pick(r, variants)();
}

const TEXTS = [
  '',
  'status',
  'help',
  'history',
  'history ping',
  'history nosuch',
  'dance',
  'mute 1h',
  'mute forever',
  'unmute',
  'run',
  'status now',
  '@all [click](https://evil.example)',
  '`x`\n# y',
  'mute 1h ping',
];

function encode(fields: readonly [string, string][]): string {
  return fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

function formCase(kind: string, fields: [string, string][], rightToken: boolean, sentTokens: string[], headers: Record<string, string> = {}): FuzzCase {
  return {kind, headers: {'content-type': FORM, ...headers}, body: Buffer.from(encode(fields)), rightToken, sentTokens};
}

/** One generated request. */
export function fuzzCase(ctx: FuzzContext): FuzzCase {
  const r = ctx.random;
  const [a, b] = [pick(r, ctx.teams), pick(r, ctx.teams)];
  const otherTeam = ctx.teams.find((t) => t.id !== a.id) ?? b;
  const base = (): [string, string][] => [
    ['team_domain', word(r, 8)],
    ['channel_id', pick(r, [word(r, 26), '', 'nope'])],
    ['user_id', pick(r, [ctx.userId, ctx.userId, word(r, 26), '', junk(r, 5)])],
    ['user_name', pick(r, ['someone', 'all', junk(r, 12)])],
    ['command', pick(r, [`/${ctx.trigger}`, `/${ctx.trigger}`, '', '/other'])],
    ['text', pick(r, TEXTS)],
    ['response_url', pick(r, ['http://127.0.0.1:1/hooks/commands/abcdefghijklmnopqrstuvwxyz', 'https://evil.example/x', ''])],
  ];
  const roll = r();
  if (roll < 0.12) {
    return formCase('right token', [['token', a.token], ['team_id', a.id], ...base()], true, [a.token]);
  }
  if (roll < 0.22) {
    return formCase('cross-team token', [['token', otherTeam.token], ['team_id', a.id], ...base()], otherTeam.token === a.token, [otherTeam.token]);
  }
  if (roll < 0.37) {
    const t = nearToken(r, a.token);
    return formCase('near token', [['token', t], ['team_id', a.id], ...base()], t === a.token, [t]);
  }
  if (roll < 0.45) {
    const fields = base();
    const variant = pick(r, ['no token', 'no team', 'empty team', 'unknown team']);
    if (variant === 'no team') return formCase(variant, [['token', a.token], ...fields], false, [a.token]);
    if (variant === 'empty team') return formCase(variant, [['token', a.token], ['team_id', ''], ...fields], false, [a.token]);
    if (variant === 'unknown team') return formCase(variant, [['token', a.token], ['team_id', word(r, 26)], ...fields], false, [a.token]);
    return formCase(variant, [['team_id', a.id], ...fields], false, []);
  }
  if (roll < 0.53) {
    // Duplicated fields: the first value is the one read.
    const first = pick(r, [a.token, nearToken(r, a.token)]);
    const second = pick(r, [a.token, otherTeam.token]);
    const teams = pick(r, [
      [a.id, otherTeam.id],
      [otherTeam.id, a.id],
    ]);
    const teamOf = ctx.teams.find((t) => t.id === teams[0]);
    return formCase('duplicate fields', [['token', first], ['team_id', teams[0] as string], ['token', second], ['team_id', teams[1] as string], ...base()], first === teamOf?.token, [first, second]);
  }
  if (roll < 0.6) {
    // The Authorization header counts only when the form has no token.
    const inForm = r() < 0.5;
    // A header value cannot hold control characters or surrounding spaces (fetch refuses them).
    const near = nearToken(r, a.token).replace(/[^\x21-\x7e]/g, '') || word(r, 26);
    const headerToken = pick(r, [a.token, otherTeam.token, near]);
    const formToken = inForm ? nearToken(r, a.token) : null;
    const fields: [string, string][] = [...(formToken !== null ? [['token', formToken] as [string, string]] : []), ['team_id', a.id], ...base()];
    const used = formToken ?? headerToken;
    return formCase('authorization header', fields, used === a.token, [headerToken, ...(formToken !== null ? [formToken] : [])], {authorization: `Token ${headerToken}`});
  }
  if (roll < 0.68) {
    // Huge fields: near and over the 16 KiB body limit.
    const size = pick(r, [4_000, 15_000, 16_500, 40_000, 200_000]);
    const field = pick(r, ['text', 'user_name', 'token', 'team_id', 'command']);
    const fields = ([['token', a.token], ['team_id', a.id], ...base()] as [string, string][]).map(([k, v]): [string, string] => (k === field ? [k, 'x'.repeat(size)] : [k, v]));
    const body = encode(fields);
    const fits = Buffer.byteLength(body) <= 16 * 1024;
    const right = fits && field !== 'token' && field !== 'team_id';
    return {kind: 'huge field', headers: {'content-type': FORM}, body: Buffer.from(body), rightToken: right, sentTokens: [a.token]};
  }
  if (roll < 0.8) {
    // Odd encodings: broken percent escapes, raw bytes, NULs, '+' for spaces, binary.
    const choices: (() => FuzzCase)[] = [
      () => ({
        kind: 'broken escapes',
        headers: {'content-type': FORM},
        body: Buffer.from(`token=${a.token}%&team_id=%ZZ${a.id}&%E0%A4%A=&user_id=%&command=%2`),
        rightToken: false,
        sentTokens: [a.token],
      }),
      () => ({
        kind: 'raw bytes',
        headers: {'content-type': FORM},
        body: Buffer.concat([
          Buffer.from(`token=${a.token}&team_id=${a.id}&text=`),
          Buffer.from([0xc0, 0xaf, 0xff, 0xfe, 0x00, 0xed, 0xa0, 0x80]),
          Buffer.from(`&user_id=${ctx.userId}&command=/${ctx.trigger}`),
        ]),
        rightToken: true,
        sentTokens: [a.token],
      }),
      () => ({
        kind: 'plus spaces',
        headers: {'content-type': FORM},
        body: Buffer.from(`token=${a.token}&team_id=${a.id}&text=history+ping&user_id=${ctx.userId}&command=%2F${ctx.trigger}`),
        rightToken: true,
        sentTokens: [a.token],
      }),
      () => ({
        kind: 'encoded token',
        headers: {'content-type': FORM},
        body: Buffer.from(`token=${[...a.token].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}&team_id=${a.id}&user_id=${ctx.userId}&command=/${ctx.trigger}`),
        rightToken: true,
        sentTokens: [a.token],
      }),
      () => ({kind: 'binary', headers: {'content-type': FORM}, body: Buffer.from(Array.from({length: Math.floor(r() * 2000)}, () => Math.floor(r() * 256))), rightToken: false, sentTokens: []}),
      () => ({kind: 'random text', headers: {'content-type': FORM}, body: Buffer.from(junk(r, Math.floor(r() * 3000))), rightToken: false, sentTokens: []}),
      () => ({
        kind: 'charset parameter',
        headers: {'content-type': `${FORM}; charset=${pick(r, ['utf-8', 'latin1', 'nonsense'])}`},
        body: Buffer.from(encode([['token', a.token], ['team_id', a.id], ...base()])),
        rightToken: true,
        sentTokens: [a.token],
      }),
      () => ({kind: 'no body', headers: {'content-type': FORM}, body: Buffer.alloc(0), rightToken: false, sentTokens: []}),
      () => ({kind: 'many fields', headers: {'content-type': FORM}, body: Buffer.from(Array.from({length: 2000}, (_, i) => `f${i}=${i}`).join('&')), rightToken: false, sentTokens: []}),
    ];
    return pick(r, choices)();
  }
  if (roll < 0.9) {
    // Other content types carrying a right token: never read.
    const type = pick(r, ['application/json', 'text/plain', 'multipart/form-data; boundary=x', 'application/xml', '', 'APPLICATION/X-WWW-FORM-URLENCODED']);
    const body =
      type === 'application/json' ? JSON.stringify({token: a.token, team_id: a.id, user_id: ctx.userId, command: `/${ctx.trigger}`}) : encode([['token', a.token], ['team_id', a.id], ...base()]);
    // Media types are case-insensitive: an upper-case form type is still a form.
    const right = type.toLowerCase() === FORM;
    return {kind: 'content type', headers: type ? {'content-type': type} : {}, body: Buffer.from(body), rightToken: right, sentTokens: [a.token]};
  }
  const t = word(r, pick(r, [1, 8, 26, 64, 300]));
  return formCase('random token', [['token', t], ['team_id', pick(r, [a.id, word(r, 26), ''])], ...base()], false, [t]);
}

export interface FuzzTally {
  total: number;
  byStatus: Record<string, number>;
  byKind: Record<string, Record<string, number>>;
  serverErrors: {kind: string; status: number}[];
  /** Answered 2xx without the right token for the team. */
  wronglyAccepted: {kind: string; status: number}[];
  /** An answer that repeats a token or secret. */
  echoed: {kind: string; status: number}[];
  networkErrors: {kind: string; error: string}[];
}

/** Sends `count` generated requests, `concurrency` at a time, and tallies the answers. */
export async function runFuzz(url: string, ctx: FuzzContext, count: number, concurrency: number, secrets: readonly string[]): Promise<FuzzTally> {
  const tally: FuzzTally = {total: 0, byStatus: {}, byKind: {}, serverErrors: [], wronglyAccepted: [], echoed: [], networkErrors: []};
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      const c = fuzzCase(ctx);
      let status: number;
      let text: string;
      try {
        const res = await fetch(url, {method: 'POST', headers: c.headers, body: new Uint8Array(c.body), signal: AbortSignal.timeout(20_000)});
        status = res.status;
        text = await res.text();
      } catch (err) {
        tally.networkErrors.push({kind: c.kind, error: String(err)});
        continue;
      }
      tally.total++;
      tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
      const kind = (tally.byKind[c.kind] ??= {});
      kind[status] = (kind[status] ?? 0) + 1;
      if (status >= 500) tally.serverErrors.push({kind: c.kind, status});
      if (status >= 200 && status < 300 && !c.rightToken) tally.wronglyAccepted.push({kind: c.kind, status});
      const watched = [...secrets, ...c.sentTokens].filter((s) => s.length >= 8);
      if (watched.some((s) => text.includes(s))) tally.echoed.push({kind: c.kind, status});
    }
  };
  await Promise.all(Array.from({length: concurrency}, worker));
  return tally;
}

export function formatTally(t: FuzzTally, ms: number): string {
  const statuses = Object.entries(t.byStatus)
    .sort(([x], [y]) => Number(x) - Number(y))
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ');
  const kinds = Object.entries(t.byKind)
    .sort(([x], [y]) => x.localeCompare(y))
    .map(
      ([k, by]) =>
        `  ${k.padEnd(22)} ${Object.entries(by)
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}`,
    );
  return [
    `slash fuzz: ${t.total} requests in ${(ms / 1000).toFixed(1)} s (${Math.round(t.total / (ms / 1000))}/s)`,
    `  by status: ${statuses}`,
    ...kinds,
    `  ≥ 500: ${t.serverErrors.length} · accepted without the right token: ${t.wronglyAccepted.length} · secrets echoed: ${t.echoed.length} · network errors: ${t.networkErrors.length}`,
  ].join('\n');
}
