import {tokenMatches, tokenValidForTeam, type CommandToken} from './token';

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

describe('tokenValidForTeam', () => {
  const tokens: CommandToken[] = [
    {teamId: 'teama', token: 'tokenofteama', commandId: 'c1'},
    {teamId: 'teamb', token: 'tokenofteamb', commandId: null},
  ];
  it('accepts a token for its own team only', () => {
    expect(tokenValidForTeam('teama', 'tokenofteama', tokens)).toBe(true);
    expect(tokenValidForTeam('teamb', 'tokenofteamb', tokens)).toBe(true);
    expect(tokenValidForTeam('teamb', 'tokenofteama', tokens)).toBe(false);
    expect(tokenValidForTeam('teamc', 'tokenofteama', tokens)).toBe(false);
    expect(tokenValidForTeam('', 'tokenofteama', tokens)).toBe(false);
  });
});
