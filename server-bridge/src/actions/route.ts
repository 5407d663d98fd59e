// POST /actions/incident: Mattermost calls it when a button of an incident post is clicked. The
// request carries no signature, so it is trusted only when the context's token matches (constant
// time, within its window) and the trigger_id verifies for this user and was not seen before
// (trigger-guard.ts); without the server's signing key nothing is taken. Anything else changes nothing.
import type {FastifyInstance, FastifyPluginAsync} from 'fastify';
import * as z from 'zod';
import {DELIVERY_ID_PROP} from '../contract';
import {describeError} from '../mm/errors';
import {checkActionToken, isIncidentAction} from './action-token';
import {ACTIONS_PATH} from './buttons';
import {clickRequest, proveClick, type ClickProofDeps} from './click-proof';
import {perform, type PerformDeps} from './perform';
import {MARK} from '../text/marks';

export const ACTIONS_BODY_LIMIT = 16 * 1024;

export interface ActionRouteDeps extends PerformDeps, ClickProofDeps {
  key: Buffer;
  /** The incident's root post: its delivery id, and its post id once delivered. */
  rootOf: (incidentId: string) => {deliveryId: string; postId: string | null} | null;
  /** Several bridges: a follower reads the store again (a root posted since its last reload is not known yet). */
  catchUp?: () => Promise<void>;
  /** The outbox delivery id a post of the bot's in the ops channel carries (null: none, or not such a post), asked of the server. */
  deliveryIdOf?: (postId: string) => Promise<string | null>;
  /** The root was changed by the action's answer: an edit of it still waiting must not undo that. */
  amendWaiting?: (deliveryId: string, content: {message: string; props: Record<string, unknown>}) => void;
  /** Signs the root's new content (contract/signature.ts) before it is answered and kept. */
  sign?: <T extends {message: string; props: Record<string, unknown>}>(content: T) => T;
  now?: () => number;
  log?: {info(msg: string, f?: Record<string, unknown>): void; warn(msg: string, f?: Record<string, unknown>): void};
}

const body = clickRequest(z.object({incident: z.string().max(256), action: z.string().max(32), token: z.string().max(256), expires: z.number().optional()}));

export function actionRoutes(deps: ActionRouteDeps): FastifyPluginAsync {
  const now = deps.now ?? Date.now;
  return async (app: FastifyInstance) => {
    app.post(ACTIONS_PATH, {bodyLimit: ACTIONS_BODY_LIMIT}, async (req, reply) => {
      const parsed = body.safeParse(req.body);
      if (!parsed.success) return reply.code(400).send({error: 'not an action request'});
      const {user_id: userId, post_id: postId, channel_id: channelId, trigger_id: triggerId, context} = parsed.data;
      const action = context.action;
      const at = now();
      const token = isIncidentAction(action) ? checkActionToken(deps.key, context.incident, action, context.expires, context.token, at) : 'forged';
      if (token === 'forged' || !isIncidentAction(action)) {
        deps.log?.warn('actions: refused a request without a valid token', {ip: req.ip});
        return reply.code(403).send({error: 'forbidden'});
      }
      if (token === 'expired') return {ephemeral_text: `${MARK.refused} These buttons have expired; use \`/healthcheck ack\` or wait for the post to be updated.`};
      const proven = await proveClick(deps, reply, {triggerId, userId, at});
      if (!proven.ok) return proven.answer;
      // The token binds incident and action; the post and channel must be that incident's too.
      const {ops} = proven;
      let root = deps.rootOf(context.incident);
      if (channelId === ops && root?.postId !== postId && deps.catchUp) {
        await deps.catchUp();
        root = deps.rootOf(context.incident);
      }
      // The leader saves a root's post id a moment after it posted it: until then the post itself says whose root it is.
      if (channelId === ops && root && root.postId === null && deps.deliveryIdOf && (await deps.deliveryIdOf(postId)) === root.deliveryId) root = {...root, postId};
      if (channelId !== ops || !root || root.postId !== postId) return reply.code(403).send({error: 'forbidden'});
      try {
        const done = await perform(deps, context.incident, action, userId, at);
        deps.log?.info('actions: button', {action, incident: context.incident, changed: done.changed});
        // update.props replaces every prop: the delivery id the outbox finds the post by stays.
        const signed = done.update && deps.sign ? deps.sign(done.update) : done.update;
        const content = signed ? {message: signed.message, props: {...signed.props, [DELIVERY_ID_PROP]: root.deliveryId}} : null;
        if (content && done.changed) deps.amendWaiting?.(root.deliveryId, content);
        const update = content ? {update: content} : {};
        return {ephemeral_text: done.text, ...update};
      } catch (err) {
        deps.log?.warn('actions: could not check the user with the server', {error: describeError(err)});
        return {ephemeral_text: `${MARK.warning} Could not check your roles with the server; try again.`};
      }
    });
  };
}
