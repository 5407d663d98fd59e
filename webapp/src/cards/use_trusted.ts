// Reads a post as trusted data once the configured bot is known; until then, or if not, it is plain.
import {useEffect, useState} from 'react';
import type {Parsed} from '@contract';
import {readSettings} from '../api/settings';
import {useServices} from '../host/services';
import {adminConfig} from '../host/state';
import type {HostPost} from '../host/types';
import {PLUGIN_ID} from '../manifest';

export type Trusted<T> = {status: 'loading'} | {status: 'trusted'; value: T} | {status: 'untrusted'; detail?: string};

export function useTrusted<T>(post: HostPost, parse: (post: HostPost, botUserId: string | null) => Parsed<T>): Trusted<T> {
  const {store, resolver} = useServices();
  const [result, setResult] = useState<Trusted<T>>({status: 'loading'});
  useEffect(() => {
    let live = true;
    const {botUsername} = readSettings(adminConfig(store.getState()), PLUGIN_ID);
    resolver
      .botUserId(botUsername)
      .then((botUserId) => {
        const parsed = parse(post, botUserId);
        if (live) setResult(parsed.ok ? {status: 'trusted', value: parsed.value} : {status: 'untrusted', detail: parsed.detail});
      })
      // The bot cannot be looked up (offline): nothing can be trusted, the plain message stays.
      .catch(() => live && setResult({status: 'untrusted'}));
    return () => {
      live = false;
    };
  }, [post, parse, store, resolver]);
  return result;
}
