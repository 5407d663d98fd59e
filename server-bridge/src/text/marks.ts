// The marks of /healthcheck's and the buttons' answers, as Unicode emoji: the server looks every :shortcode: of a
// command's answer up before it sends it (the bench: ~0.6 ms a status answer), a character it does not.
export const MARK = {
  ok: '✅',
  warning: '⚠️',
  failing: '🔴',
  unknown: '❔',
  none: '➖',
  mute: '🔇',
  unmute: '🔊',
  refused: '⛔',
  waiting: '⏳',
} as const;
