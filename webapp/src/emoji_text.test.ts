import {emojiText} from './emoji_text';

describe('emojiText', () => {
  it('shows the shortcodes the bridge writes as their characters', () => {
    expect(emojiText(':hourglass_flowing_sand: Running every probe now.')).toBe('\u23F3 Running every probe now.');
    expect(emojiText('Health check:\n:white_check_mark: ping\n:red_circle: login')).toBe('Health check:\n\u2705 ping\n\u{1F534} login');
  });

  it('drops unknown shortcodes with the space after them', () => {
    expect(emojiText(':party_parrot: done')).toBe('done');
    expect(emojiText('done :party_parrot: now')).toBe('done now');
    expect(emojiText('done :constructor:')).toBe('done ');
  });

  it('leaves colons that are no shortcode alone', () => {
    for (const text of ['at 12:30:45', 'observed: 401, expected: 200', 'http://host:8065/x', 'a :b:c: d', '::', ':not a code:']) expect(emojiText(text)).toBe(text);
  });

  it('keeps markup as text', () => {
    expect(emojiText(':warning: <b>x</b>')).toBe('\u26A0\uFE0F <b>x</b>');
  });
});
