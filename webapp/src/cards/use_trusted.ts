// Reads a post as trusted data once its author is known to be the declared bot and, when the bot's
// declaration names a signing key, its signature verifies (props patched by anyone else do not);
// until then, or if not, it is plain. Every viewer checks the same way (no admin-only setting is read).
import {useEffect, useState} from 'react';
import type {Parsed} from '@contract';
import {useServices} from '../host/services';
import type {HostPost} from '../host/types';
import {verifyPostSignature} from '../api/signature';

export type Trusted<T> = {status: 'loading'} | {status: 'trusted'; value: T} | {status: 'untrusted'; detail?: string};

export function useTrusted<T>(post: HostPost, parse: (post: HostPost, botUserId: string | null) => Parsed<T>): Trusted<T> {
  const {resolver} = useServices();
  const [result, setResult] = useState<Trusted<T>>({status: 'loading'});
  useEffect(() => {
    let live = true;
    resolver
      .isTrustedBot(post.user_id)
      .then(async (isBot) => {
        const parsed = parse(post, isBot ? post.user_id : null);
        if (!parsed.ok) return live && setResult({status: 'untrusted', detail: parsed.detail});
        const key = await resolver.signingKeyOf(post.user_id);
        // A post that fails its signature looks exactly like a forged one: its plain message, marked.
        const genuine = key === null || (await verifyPostSignature(post, key));
        if (live) setResult(genuine ? {status: 'trusted', value: parsed.value} : {status: 'untrusted'});
      })
      // The bot cannot be looked up (offline): nothing can be trusted, the plain message stays.
      .catch(() => live && setResult({status: 'untrusted'}));
    return () => {
      live = false;
    };
  }, [post, parse, resolver]);
  return result;
}
