// Client4 of @mattermost/client for the one-off admin work (setup), with its failures turned into
// the bridge's errors here, once: the HTTP status also of an answer that is not Mattermost's (a
// proxy's 502, which Client4 loses), the server's message and error id, never a token.
import {Client4, ClientError} from '@mattermost/client';
import {apiErrorOf, MattermostApiError, unreachableOf} from './errors';

type Answer = {response: Response; headers: Map<string, string>; data: unknown};
type FetchWithResponse = (url: string, options: {method?: string; ignoreStatus?: boolean}) => Promise<Answer>;

export class AdminClient extends Client4 {
  constructor(url: string, token?: string) {
    super();
    this.setUrl(url.replace(/\/+$/, ''));
    if (token) this.setToken(token);
    this.setUserAgent('mattermost-healthcheck-bridge');
    // Every call of Client4 (doFetch, login, logout) goes through this private member: answers
    // come back unthrown, so the status is the response's.
    const self = this as unknown as {doFetchWithResponse: FetchWithResponse};
    const fetchWithResponse = self.doFetchWithResponse;
    self.doFetchWithResponse = async (url, options) => {
      const method = (options.method ?? 'GET').toUpperCase();
      const path = url.startsWith(this.getBaseRoute()) ? url.slice(this.getBaseRoute().length) : url;
      let answer: Answer;
      try {
        answer = await fetchWithResponse(url, {...options, ignoreStatus: true});
      } catch (err) {
        // An answer Client4 could not read; anything else never reached the server.
        if (err instanceof ClientError) throw new MattermostApiError(err.message, err.status_code ?? 0, method, path, err.server_error_id ?? null, {cause: err});
        throw unreachableOf(err, method, path);
      }
      if (!answer.response.ok && !options.ignoreStatus) throw apiErrorOf(answer.response.status, answer.response.statusText, answer.data, method, path);
      return answer;
    };
  }
}
