// Reads a post as trusted data once its author is known to be the declared bot; until then, or if
// not, it is plain. Every viewer checks the same way (no admin-only setting is read).
import {useEffect, useState} from 'react';
import type {Parsed} from '@contract';
import {useServices} from '../host/services';
import type {HostPost} from '../host/types';

export type Trusted<T> = {status: 'loading'} | {status: 'trusted'; value: T} | {status: 'untrusted'; detail?: string};

export function useTrusted<T>(post: HostPost, parse: (post: HostPost, botUserId: string | null) => Parsed<T>): Trusted<T> {
  const {resolver} = useServices();
  const [result, setResult] = useState<Trusted<T>>({status: 'loading'});
  useEffect(() => {
    let live = true;
    resolver
      .isTrustedBot(post.user_id)
      .then((isBot) => {
        const parsed = parse(post, isBot ? post.user_id : null);
        if (live) setResult(parsed.ok ? {status: 'trusted', value: parsed.value} : {status: 'untrusted', detail: parsed.detail});
      })
      // The bot cannot be looked up (offline): nothing can be trusted, the plain message stays.
      .catch(() => live && setResult({status: 'untrusted'}));
    return () => {
      live = false;
    };
  }, [post, parse, resolver]);
  return result;
}
