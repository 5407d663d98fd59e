// The one way text the bridge does not control (form fields, server errors, names) enters a post:
// as an inline code span. Mattermost finds mentions only in text nodes and links nothing inside
// code, so `@all`, `~channel`, `[a](b)` and bare URLs stay inert; backticks are replaced so the
// span cannot be closed early, and line breaks flattened so it cannot end the line.

const MAX = 300;

/** `text` as an inert inline code span, at most `max` characters. */
export function markdownLiteral(text: string, max = MAX): string {
  const clean = text
    .replace(/`/g, "'")
    .replace(/[\s\u2028\u2029]+/g, ' ')
    .trim();
  const short = clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
  return short ? `\`${short}\`` : "`''`";
}

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const RESERVED = new Set(['all', 'channel', 'here']);

/**
 * A user named by the server (never by the form): a plain @mention when the name is an ordinary
 * Mattermost username, otherwise an inert code span.
 */
export function userMention(username: string): string {
  // Mattermost also reads `@all_` or `@here.` as the group mention: it strips trailing `.-_:` first.
  return USERNAME.test(username) && !RESERVED.has(username.replace(/[._:-]+$/, '')) ? `@${username}` : markdownLiteral(username);
}

const CHANNEL = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** A channel named by the server: a ~link when the name is an ordinary channel name, else inert code. */
export function channelMention(name: string): string {
  return CHANNEL.test(name) ? `~${name}` : markdownLiteral(name);
}
