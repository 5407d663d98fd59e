// Emoji shortcodes (":hourglass:") in text from the bridge, shown as their characters; unknown ones dropped.

/** The shortcodes the bridge writes, and a few common ones. */
const EMOJI: Readonly<Record<string, string>> = {
  hourglass: '\u231B',
  hourglass_flowing_sand: '\u23F3',
  white_check_mark: '\u2705',
  heavy_check_mark: '\u2714\uFE0F',
  x: '\u274C',
  red_circle: '\u{1F534}',
  large_green_circle: '\u{1F7E2}',
  warning: '\u26A0\uFE0F',
  no_entry: '\u26D4',
  grey_question: '\u2754',
  heavy_minus_sign: '\u2796',
  mute: '\u{1F507}',
  loud_sound: '\u{1F50A}',
  bell: '\u{1F514}',
  rotating_light: '\u{1F6A8}',
};

// A shortcode stands alone (whitespace before, whitespace or punctuation after): "12:30:45" is no emoji.
const SHORTCODE = /(^|\s):([a-z0-9_+-]*[a-z][a-z0-9_+-]*):(?=$|[\s.,;!?)])([ \t]*)/g;

/** Plain text with known shortcodes replaced by their characters and unknown ones removed; still text, never HTML. */
export function emojiText(text: string): string {
  return text.replace(SHORTCODE, (_whole, before: string, name: string, after: string) => {
    const emoji = Object.hasOwn(EMOJI, name) ? EMOJI[name] : undefined;
    return emoji ? `${before}${emoji}${after}` : before;
  });
}
