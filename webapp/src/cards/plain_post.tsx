// A post shown as its plain message (text, never HTML): the cards' first paint, and what a card
// falls back to. Words (the untrusted marker) come in as children, so the entry carries none.
import type {ReactNode} from 'react';
import {emojiText} from '../emoji_text';
import type {HostPost} from '../host/types';
import {plainMessage} from '../styles';

export function PlainPost({post, children}: {post: HostPost; children?: ReactNode}) {
  return (
    <div data-testid='healthcheck-plain-post'>
      <div style={plainMessage}>{emojiText(post.message)}</div>
      {children}
    </div>
  );
}
