import {channelMention, markdownLiteral, userMention} from './markdown';

describe('markdownLiteral', () => {
  it('wraps text in one code span that cannot be closed early or broken across lines', () => {
    expect(markdownLiteral('all [click](https://evil.example)')).toBe('`all [click](https://evil.example)`');
    expect(markdownLiteral('a`b` @here\n# title')).toBe("`a'b' @here # title`");
    expect(markdownLiteral('')).toBe("`''`");
  });
  it('caps the length', () => {
    expect(markdownLiteral('x'.repeat(1000))).toHaveLength(302);
  });
});

describe('userMention', () => {
  it('mentions an ordinary username, and never @all, @channel, @here or a name with markup', () => {
    expect(userMention('alice.b-c_1')).toBe('@alice.b-c_1');
    for (const name of ['all', 'channel', 'here', 'all [click](https://evil.example)', 'Bob']) expect(userMention(name)).toBe(markdownLiteral(name));
  });

  it('never a group mention with the trailing punctuation Mattermost strips (`@all_`, `@here.`, `@channel-:`)', () => {
    for (const name of ['all_', 'here.', 'channel-:', 'all..', 'here-']) expect(userMention(name)).toBe(markdownLiteral(name));
    expect(userMention('allison.')).toBe('@allison.');
  });
});

describe('channelMention', () => {
  it('links an ordinary channel name, and nothing else', () => {
    expect(channelMention('town-square')).toBe('~town-square');
    expect(channelMention('x](https://evil.example)')).toBe(markdownLiteral('x](https://evil.example)'));
  });
});
