// Test doubles at the unit boundary: a fetch that answers from a route table, a host store.
import {createHttp, type Http} from '../api/http';
import {createResolver} from '../api/resolver';
import {createServices, type Services} from '../host/services';
import type {HostAction, HostStore} from '../host/types';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

export interface FakeReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Route = (req: FakeRequest) => FakeReply | Promise<FakeReply> | undefined;

export const BASE = 'http://mm.test';

/** A fetch that hands each request to `route`; unanswered requests get 404, a thrown error is a network failure. */
export function fakeFetch(route: Route, log: FakeRequest[] = []) {
  return async (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const req: FakeRequest = {
      method: init.method ?? 'GET',
      path: url.pathname.replace(/^\/api\/v4/, ''),
      query: url.searchParams,
      headers: (init.headers ?? {}) as Record<string, string>,
      body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
      credentials: init.credentials,
    };
    log.push(req);
    const reply = (await route(req)) ?? {status: 404, body: {message: 'not found'}};
    const status = reply.status ?? 200;
    const headers = Object.fromEntries(Object.entries(reply.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    return {
      ok: status >= 200 && status < 300,
      status,
      headers: {get: (name: string) => headers[name.toLowerCase()] ?? null},
      text: async () => (reply.body === undefined ? '' : JSON.stringify(reply.body)),
    } as unknown as Response;
  };
}

export function fakeHttp(route: Route, log: FakeRequest[] = []): Http {
  return createHttp(() => BASE, fakeFetch(route, log));
}

export interface FakeStore extends HostStore {
  actions: HostAction[];
  state: Record<string, unknown>;
}

/** A store in the web app's shape; noCurrentTeam as in the System Console loaded by its URL. */
export function fakeStore(opts: {locale?: string; adminConfig?: unknown; teamName?: string; noCurrentTeam?: boolean} = {}): FakeStore {
  const actions: HostAction[] = [];
  const state = {
    entities: {
      general: {config: {SiteURL: BASE}},
      users: {currentUserId: 'me', profiles: {me: {id: 'me', locale: opts.locale ?? 'en', roles: 'system_user'}}},
      teams: {currentTeamId: opts.noCurrentTeam ? '' : 'team1', teams: {team1: {id: 'team1', name: opts.teamName ?? 'healthcheck'}}},
      admin: {config: opts.adminConfig ?? {}},
    },
  };
  return {actions, state, getState: () => state, dispatch: (a) => actions.push(a)};
}

export function fakeServices(route: Route, opts: Parameters<typeof fakeStore>[0] = {}, log: FakeRequest[] = []): Services & {store: FakeStore} {
  const store = fakeStore(opts);
  const http = fakeHttp(route, log);
  return {...createServices('mattermost-healthcheck', store, http, createResolver(http)), store};
}
