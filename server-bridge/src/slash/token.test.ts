import {tokenMatches} from './token';

describe('tokenMatches', () => {
  const tokens = ['abcdefghijklmnopqrstuvwxyz', 'zyxwvutsrqponmlkjihgfedcba'];
  it('accepts any of the registered tokens', () => {
    expect(tokenMatches('abcdefghijklmnopqrstuvwxyz', tokens)).toBe(true);
    expect(tokenMatches('zyxwvutsrqponmlkjihgfedcba', tokens)).toBe(true);
  });
  it('refuses a wrong, shorter, longer, empty or missing token', () => {
    for (const given of ['abcdefghijklmnopqrstuvwxyZ', 'abc', 'abcdefghijklmnopqrstuvwxyz0', '', undefined]) expect(tokenMatches(given, tokens)).toBe(false);
  });
  it('refuses everything when no token is registered, even an empty one', () => {
    expect(tokenMatches('', [''])).toBe(false);
    expect(tokenMatches('abc', [])).toBe(false);
  });
});
