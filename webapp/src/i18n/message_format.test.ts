import {argumentNames, formatMessage} from './message_format';

const PERIODS = '{n, plural, =0 {no periods} one {# period with failures} other {# periods with failures}}';

describe('formatMessage', () => {
  it('fills simple arguments; a message missing one is shown as written, not thrown', () => {
    expect(formatMessage('en', 'open for {duration} on {target}', {duration: '3 s', target: 'chat'})).toBe('open for 3 s on chat');
    expect(formatMessage('en', 'open for {duration} on {target}', {duration: '3 s'})).toBe('open for {duration} on {target}');
  });

  it('picks the plural form of the language, exact matches first', () => {
    expect(formatMessage('en', PERIODS, {n: 1})).toBe('1 period with failures');
    expect(formatMessage('en', PERIODS, {n: 2})).toBe('2 periods with failures');
    expect(formatMessage('en', PERIODS, {n: 0})).toBe('no periods');
    // Polish has a "few" form; without that branch, "other" is used.
    expect(formatMessage('pl', '{n, plural, one {# okres} few {# okresy} other {# okresów}}', {n: 3})).toBe('3 okresy');
    expect(formatMessage('pl', '{n, plural, one {# okres} other {# okresów}}', {n: 3})).toBe('3 okresów');
  });

  it('fills arguments inside a plural branch; # outside a plural stays a #', () => {
    expect(formatMessage('en', '#{id}: {n, plural, one {# probe on {target}} other {# probes on {target}}}', {id: 7, n: 1, target: 'local'})).toBe('#7: 1 probe on local');
  });

  it('does not throw on a malformed message or an unknown locale; it shows the message as written', () => {
    expect(formatMessage('en', '{n, plural, one {# x}', {n: 1})).toBe('{n, plural, one {# x}');
    expect(formatMessage('en', '{n, plural, one {# x}}', {n: 'many'})).toBe('{n, plural, one {# x}}');
    expect(formatMessage('not a locale!', PERIODS, {n: 1})).toBe('1 period with failures');
  });

  it('names the arguments of a message once each', () => {
    expect(argumentNames('{a} and {n, plural, one {# of {b}} other {# of {b} and {a}}}')).toEqual(['a', 'b', 'n']);
  });
});
