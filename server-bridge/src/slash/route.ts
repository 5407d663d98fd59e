// POST /slash/healthcheck: the server side of /healthcheck. The token first, bound to the request's
// team (constant time, 401 with no detail), a size-limited form body (4xx on anything odd, never
// 5xx), and an answer from memory. The token proves only "Mattermost's command of that team" (team
// admins can read it): a subcommand that acts also needs the trigger_id the server signed for the
// form's user_id, once. Who asks is then read from the server by that id, never the form.
import type {FastifyInstance, FastifyPluginAsync, FastifyRequest} from 'fastify';
import {QUIET_ROUTE} from '../app';
import {formatDuration, formatTime} from '../text/format';
import type {IncidentManager} from '../incidents/incidents';
import {describeError} from '../mm/errors';
import type {ProbeResult} from '../probes/types';
import {channelMention, markdownLiteral, userMention} from '../text/markdown';
import {helpAnswer, historyAnswer, probeTable, statusAnswer, type ProbeRow} from './answers';
import {parseCommandText} from './command-text';
import {tokenValidForTeam, type CommandToken} from './token';
import {MARK} from '../text/marks';
import type {Proof} from '../actions/trigger-guard';

export const SLASH_PATH = '/slash/healthcheck';
export const SLASH_BODY_LIMIT = 16 * 1024;

/** The caller as the server knows them. */
export interface Caller {
  username: string;
  admin: boolean;
}

export interface SlashDeps {
  /** Several bridges: each bridge and when it last reported (status answers list them). */
  bridges?: () => {instance: string; seenAgoS: number; leader: boolean; silent: boolean}[];
  trigger: string;
  /** The server's Site URL (links, response_url checks), as last learned from the server. */
  siteUrl: () => string;
  /** The tokens of the current registrations (one per team) and of the configuration. */
  tokens: () => readonly CommandToken[];
  /** Reads the registrations again for a refused token of a served team (throttled): a regenerated token works without a restart. */
  refreshTokens?: (teamId: string, token: string) => Promise<void>;
  knownProbes: () => readonly string[];
  /** The rows from what the bridge already knows (latest runs, states, 24 h counts): cheap, no network. */
  probeRows: () => ProbeRow[];
  incidents: IncidentManager;
  postIdOf: (deliveryId: string) => string | null;
  runNow: () => Promise<ProbeResult[]>;
  caller: (userId: string) => Promise<Caller>;
  /** The channel's name as the server knows it, or null when the bot may not read it. */
  channelName: (channelId: string) => Promise<string | null>;
  respond: (responseUrl: string, text: string) => Promise<void>;
  /** Checks the server-signed trigger_id of a subcommand that acts (this user, recent, once); absent: those are refused. */
  prove?: (triggerId: string, userId: string, now: number) => Promise<Proof>;
  /** `ack [incident]`: acknowledges as the incident's button does (roles checked there). */
  acknowledge?: (userId: string, incident: string | null) => Promise<string>;
  /** `slo`: the objectives in words; `slo report` and `slo ack [slo]` (system admins). */
  slo?: {answer(): string; acknowledge(slo: string | null, by: string): string; report(): Promise<void>};
  now?: () => number;
  log?: {info(msg: string, f?: Record<string, unknown>): void; warn(msg: string, f?: Record<string, unknown>): void};
}

const ephemeral = (text: string) => ({response_type: 'ephemeral', text});
const field = (form: URLSearchParams, name: string) => form.get(name) ?? '';

export function slashRoutes(deps: SlashDeps): FastifyPluginAsync {
  const now = deps.now ?? Date.now;

  async function authorized(teamId: string, token: string | undefined): Promise<boolean> {
    if (tokenValidForTeam(teamId, token, deps.tokens())) return true;
    // Refused for a team that has a command: its token may have been regenerated since the last read.
    if (!token || !deps.refreshTokens || !deps.tokens().some((t) => t.teamId === teamId)) return false;
    await deps.refreshTokens(teamId, token).catch(() => undefined);
    return tokenValidForTeam(teamId, token, deps.tokens());
  }

  return async (app: FastifyInstance) => {
    // Only form bodies here, parsed as text with a limit; anything else is 415, too big is 413.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/x-www-form-urlencoded', {parseAs: 'string', bodyLimit: SLASH_BODY_LIMIT}, (_req, body, done) => {
      done(null, new URLSearchParams(body as string));
    });

    // Two request lines a command cost the server-side path ~0.4 ms (bench); one debug line instead,
    // before the body is read, so refused bodies are counted too.
    const logRequest = (req: FastifyRequest, _reply: unknown, done: () => void) => (req.log.debug({bytes: Number(req.headers['content-length'] ?? 0)}, 'slash: request'), done());
    app.post(SLASH_PATH, {bodyLimit: SLASH_BODY_LIMIT, config: QUIET_ROUTE, onRequest: logRequest}, async (req, reply) => {
      const form = req.body instanceof URLSearchParams ? req.body : new URLSearchParams();
      const header = /^Token\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!(await authorized(field(form, 'team_id'), form.get('token') ?? header))) return reply.code(401).send({error: 'unauthorized'});
      const userId = field(form, 'user_id');
      if (!userId || !field(form, 'command')) return reply.code(400).send({error: 'user_id and command are required'});

      const request = parseCommandText(field(form, 'text'), deps.knownProbes());
      if (request.kind === 'help') return ephemeral(helpAnswer(deps.trigger, request.problem));
      if (request.kind === 'status') return ephemeral(status());
      if (request.kind === 'history') {
        const runs = deps.incidents.trackerStates().map((t) => ({probe: t.probe, target: t.target, recent: t.recent}));
        return ephemeral(historyAnswer(request.probe, runs, [...deps.incidents.recentIncidents(), ...deps.incidents.openIncidents()]));
      }
      if (request.kind === 'slo') return ephemeral(deps.slo ? deps.slo.answer() : 'Service level objectives are not set up on this bridge.');

      // Everything below acts: the server must have signed this request for this user.
      const refused = await unproven(field(form, 'trigger_id'), userId);
      if (refused) return refused.status === 200 ? ephemeral(refused.text) : reply.code(refused.status).send({...ephemeral(refused.text), error: refused.text});

      if (request.kind === 'ack') {
        if (!deps.acknowledge) return ephemeral('Acknowledging is not set up on this bridge.');
        try {
          return ephemeral(await deps.acknowledge(userId, request.incident));
        } catch (err) {
          deps.log?.warn('slash: could not acknowledge', {error: describeError(err)});
          return ephemeral(`${MARK.warning} Could not check your roles with the server; try again.`);
        }
      }

      let caller: Caller;
      try {
        caller = await deps.caller(userId);
      } catch (err) {
        deps.log?.warn('slash: could not read the caller from the server', {error: describeError(err)});
        return ephemeral(`${MARK.warning} Could not check your roles with the server; try again.`);
      }
      if (!caller.admin) return ephemeral(`${MARK.refused} \`${request.kind}\` is for system admins only.`);
      const at = now();
      const where = await deps.channelName(field(form, 'channel_id')).catch(() => null);
      const who = `${userMention(caller.username)}${where ? ` in ${channelMention(where)}` : ''}`;
      deps.log?.info('slash: admin command', {command: request.kind, user: caller.username, channel: where});

      if (request.kind === 'slo-ack' || request.kind === 'slo-report') {
        if (!deps.slo) return ephemeral('Service level objectives are not set up on this bridge.');
        if (request.kind === 'slo-ack') return ephemeral(deps.slo.acknowledge(request.slo, caller.username));
        await deps.slo.report();
        return ephemeral(`${MARK.waiting} The SLO report of this month so far is on its way to the log channel.`);
      }
      if (request.kind === 'mute') {
        const mute = deps.incidents.mute(request.probe, request.durationMs, caller.username, at, where);
        return ephemeral(
          `${MARK.mute} Alerts muted ${mute.probe ? `for **${mute.probe}**` : 'for all probes'} until ${formatTime(mute.until)} (${formatDuration(request.durationMs)}). Probes keep running; the ops channel is told.`,
        );
      }
      if (request.kind === 'unmute') {
        const ended = deps.incidents.unmute(caller.username, at, where);
        return ephemeral(ended.length ? `${MARK.unmute} Ended ${ended.length} mute${ended.length > 1 ? 's' : ''}; alerts are back on.` : 'Nothing was muted.');
      }
      deps.incidents.note(`:arrow_forward: \`/${deps.trigger} run\` by ${who}: every probe runs now.`, `run_${at}_${userId}`, at);
      runAndAnswer(field(form, 'response_url')).catch((err: unknown) => deps.log?.warn('slash: run failed', {error: describeError(err)}));
      return ephemeral(`${MARK.waiting} Running every probe now; the results follow here when done.`);
    });

    /** Null when the request is proven; else what to answer (200 for what a real user may meet: no key, clocks apart). */
    async function unproven(triggerId: string, userId: string): Promise<{status: number; text: string} | null> {
      const proof: Proof = deps.prove ? await deps.prove(triggerId, userId, now()) : {ok: false, why: 'unavailable', reason: 'not set up'};
      if (proof.ok) return null;
      const nothing = 'nothing was changed';
      if (proof.why === 'unavailable')
        return {status: 200, text: `${MARK.warning} The bridge cannot check who ran this command right now (the server's signing key is unavailable); ${nothing}. Try again in a minute.`};
      if (proof.why === 'stale') return {status: 200, text: `${MARK.refused} This request is too old to be taken (are the clocks of Mattermost and the bridge apart?); ${nothing}.`};
      if (proof.why === 'replay') return {status: 409, text: `${MARK.refused} This request was already handled; ${nothing}.`};
      return {status: 403, text: `${MARK.refused} This request does not carry the server's proof of who ran it (${proof.reason}); ${nothing}. Run the command from Mattermost.`};
    }

    function status(): string {
      const incidents = deps.incidents.openIncidents().map((i) => ({...i, postId: i.rootDeliveryId ? deps.postIdOf(i.rootDeliveryId) : null}));
      return statusAnswer({siteUrl: deps.siteUrl(), probes: deps.probeRows(), incidents, mutes: deps.incidents.activeMutes(now()), now: now(), bridges: deps.bridges?.() ?? null});
    }

    async function runAndAnswer(responseUrl: string): Promise<void> {
      const started = performance.now();
      let text: string;
      try {
        const results = await deps.runNow();
        const failed = results.filter((r) => !r.ok);
        text = [`#### Probes run now: ${results.length - failed.length} of ${results.length} ok (${Math.round(performance.now() - started)} ms)`, ...probeTable(deps.probeRows())].join('\n');
      } catch (err) {
        text = `${MARK.warning} The run failed: ${markdownLiteral(describeError(err))}`;
      }
      try {
        await deps.respond(responseUrl, text);
      } catch (err) {
        deps.log?.warn('slash: could not answer through response_url', {error: describeError(err)});
      }
    }
  };
}
