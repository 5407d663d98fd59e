// The subset of ICU message syntax our tables use: {name} and {n, plural, =0 {…} one {# …} other {# …}}.
// The same strings go to the host's react-intl, which reads them the same way.

export type Vars = Record<string, string | number>;

const pluralRules = new Map<string, Intl.PluralRules>();

function pluralCategory(locale: string, n: number): string {
  let rules = pluralRules.get(locale);
  if (!rules) {
    try {
      rules = new Intl.PluralRules(locale);
    } catch {
      // A locale the runtime does not know: English rules rather than an exception while rendering.
      rules = new Intl.PluralRules('en');
    }
    pluralRules.set(locale, rules);
  }
  return rules.select(n);
}

/** Index of the `}` closing the `{` at `open`, or -1 when the braces do not balance. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** `=0 {…} one {…} other {…}` → [selector, branch] pairs. */
function pluralBranches(options: string): Map<string, string> {
  const branches = new Map<string, string>();
  let i = 0;
  while (i < options.length) {
    const selector = /^\s*(=\d+|zero|one|two|few|many|other)\s*\{/.exec(options.slice(i));
    if (!selector?.[1]) break;
    const open = i + selector[0].length - 1;
    const close = closingBrace(options, open);
    if (close < 0) break;
    branches.set(selector[1], options.slice(open + 1, close));
    i = close + 1;
  }
  return branches;
}

function formatArgument(locale: string, inner: string, vars: Vars | undefined): string | undefined {
  const simple = /^\s*(\w+)\s*$/.exec(inner);
  if (simple?.[1]) return vars && simple[1] in vars ? String(vars[simple[1]]) : undefined;
  const plural = /^\s*(\w+)\s*,\s*plural\s*,([\s\S]*)$/.exec(inner);
  if (!plural?.[1] || plural[2] === undefined) return undefined;
  const value = vars?.[plural[1]];
  if (typeof value !== 'number') return undefined;
  const branches = pluralBranches(plural[2]);
  const branch = branches.get(`=${value}`) ?? branches.get(pluralCategory(locale, value)) ?? branches.get('other');
  return branch === undefined ? undefined : formatMessage(locale, branch, vars, String(value));
}

/** Fills `message`; an argument without a value (or a malformed one) stays as written, so it shows. */
export function formatMessage(locale: string, message: string, vars?: Vars, hash?: string): string {
  let out = '';
  let i = 0;
  while (i < message.length) {
    const ch = message[i] as string;
    if (ch === '{') {
      const close = closingBrace(message, i);
      if (close < 0) return out + message.slice(i);
      const whole = message.slice(i, close + 1);
      out += formatArgument(locale, message.slice(i + 1, close), vars) ?? whole;
      i = close + 1;
    } else {
      out += ch === '#' && hash !== undefined ? hash : ch;
      i++;
    }
  }
  return out;
}

/** The names of the arguments a message takes (for checking that translations agree). */
export function argumentNames(message: string): string[] {
  return [...new Set([...message.matchAll(/\{\s*(\w+)\s*[,}]/g)].map((m) => m[1] as string))].sort();
}
