// Who clicked, and where: the request every button route takes, and the checks it makes once the
// context's token passed. The trigger_id must be the server's, for this user, recent and never seen
// (trigger-guard.ts); the ops channel must resolve, since the post clicked has to be in it.
import type {FastifyReply} from 'fastify';
import * as z from 'zod';
import {describeError} from '../mm/errors';
import {MARK} from '../text/marks';
import type {TriggerGuard} from './trigger-guard';

/** What Mattermost posts to a button's integration: who clicked where, its trigger_id, and the button's context. */
export function clickRequest<C extends z.ZodType>(context: C) {
  return z.object({
    user_id: z.string().max(64),
    post_id: z.string().max(64),
    channel_id: z.string().max(64),
    trigger_id: z.string().max(2048).optional(),
    context,
  });
}

export interface ClickProofDeps {
  /** The server-signed trigger_id: this user, recent, once. */
  guard: TriggerGuard;
  opsChannelId: () => Promise<string>;
  log?: {warn(msg: string, f?: Record<string, unknown>): void};
}

export interface Click {
  triggerId: string | undefined;
  userId: string;
  at: number;
}

/** ok: the click is proven and the ops channel is `ops`; otherwise `answer` is what the route returns. */
export type ClickProof = {ok: true; ops: string} | {ok: false; answer: FastifyReply | {ephemeral_text: string}};

const SIGNING_KEY_UNAVAILABLE = `${MARK.warning} The bridge cannot check who clicked right now (the server's signing key is unavailable); nothing was changed. Try again in a minute.`;

export async function proveClick(deps: ClickProofDeps, reply: FastifyReply, click: Click): Promise<ClickProof> {
  const proof = await deps.guard.check('button', click.triggerId, click.userId, click.at);
  if (!proof.ok && proof.why === 'unavailable') return {ok: false, answer: {ephemeral_text: SIGNING_KEY_UNAVAILABLE}};
  if (!proof.ok) return {ok: false, answer: reply.code(proof.why === 'replay' ? 409 : 403).send({error: proof.why === 'replay' ? 'already handled' : 'forbidden'})};
  try {
    return {ok: true, ops: await deps.opsChannelId()};
  } catch (err) {
    deps.log?.warn('actions: could not resolve the ops channel', {error: describeError(err)});
    return {ok: false, answer: reply.code(503).send({error: 'cannot check the request now'})};
  }
}
