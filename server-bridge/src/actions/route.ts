// POST /actions/incident: Mattermost calls it when a button of an incident post is clicked. The
// request carries no signature, so it is trusted only when the context's token matches (constant
// time) and, where the server publishes its signing key, the trigger_id verifies for this user and
// was not seen before. Anything else is a 4xx and changes nothing.
import type {KeyObject} from 'node:crypto';
import type {FastifyInstance, FastifyPluginAsync} from 'fastify';
import * as z from 'zod';
import {DELIVERY_ID_PROP} from '../contract';
import {describeError} from '../mm/errors';
import {actionTokenMatches, isIncidentAction} from './action-token';
import {ACTIONS_PATH} from './buttons';
import {perform, type PerformDeps} from './perform';
import type {ReplayGuard} from './replay-guard';
import {verifyTriggerId} from './trigger-id';
import {MARK} from '../text/marks';

export const ACTIONS_BODY_LIMIT = 16 * 1024;
/** A trigger_id older (or newer, clocks differ) than this is refused; replays are remembered twice as long. */
export const TRIGGER_MAX_AGE_MS = 5 * 60_000;

export interface ActionRouteDeps extends PerformDeps {
  key: Buffer;
  replays: ReplayGuard;
  /** Persists the replay guard (after each accepted click). */
  saveReplays: (now: number) => void;
  /** The server's trigger_id key; null when the server publishes none (older servers). */
  signingKey: () => Promise<KeyObject | null>;
  /** The incident's root post: its delivery id, and its post id once delivered. */
  rootOf: (incidentId: string) => {deliveryId: string; postId: string | null} | null;
  opsChannelId: () => Promise<string>;
  /** The root was changed by the action's answer: an edit of it still waiting must not undo that. */
  amendWaiting?: (deliveryId: string, content: {message: string; props: Record<string, unknown>}) => void;
  now?: () => number;
  log?: {info(msg: string, f?: Record<string, unknown>): void; warn(msg: string, f?: Record<string, unknown>): void};
}

const body = z.object({
  user_id: z.string().max(64),
  post_id: z.string().max(64),
  channel_id: z.string().max(64),
  trigger_id: z.string().max(2048).optional(),
  context: z.object({incident: z.string().max(256), action: z.string().max(32), token: z.string().max(256)}),
});

export function actionRoutes(deps: ActionRouteDeps): FastifyPluginAsync {
  const now = deps.now ?? Date.now;
  return async (app: FastifyInstance) => {
    app.post(ACTIONS_PATH, {bodyLimit: ACTIONS_BODY_LIMIT}, async (req, reply) => {
      const parsed = body.safeParse(req.body);
      if (!parsed.success) return reply.code(400).send({error: 'not an action request'});
      const {user_id: userId, post_id: postId, channel_id: channelId, trigger_id: triggerId, context} = parsed.data;
      const action = context.action;
      if (!isIncidentAction(action) || !actionTokenMatches(deps.key, context.incident, action, context.token)) {
        deps.log?.warn('actions: refused a request without a valid token', {ip: req.ip});
        return reply.code(403).send({error: 'forbidden'});
      }
      const at = now();
      let key: KeyObject | null;
      try {
        key = await deps.signingKey();
      } catch (err) {
        deps.log?.warn('actions: could not read the server signing key', {error: describeError(err)});
        return reply.code(503).send({error: 'cannot verify the request now'});
      }
      if (key) {
        const check = verifyTriggerId(triggerId, key, userId, at, TRIGGER_MAX_AGE_MS);
        if (!check.ok) {
          deps.log?.warn('actions: refused a request whose trigger_id does not verify', {reason: check.reason, ip: req.ip});
          return reply.code(403).send({error: 'forbidden'});
        }
        if (!deps.replays.accept(check.trigger.clientTriggerId, check.trigger.at + 2 * TRIGGER_MAX_AGE_MS, at)) {
          deps.log?.warn('actions: refused a replayed request', {ip: req.ip});
          return reply.code(409).send({error: 'already handled'});
        }
        deps.saveReplays(at);
      }
      // The token binds incident and action; the post and channel must be that incident's too.
      let ops: string;
      try {
        ops = await deps.opsChannelId();
      } catch (err) {
        deps.log?.warn('actions: could not resolve the ops channel', {error: describeError(err)});
        return reply.code(503).send({error: 'cannot check the request now'});
      }
      const root = deps.rootOf(context.incident);
      if (channelId !== ops || !root || root.postId !== postId) return reply.code(403).send({error: 'forbidden'});
      try {
        const done = await perform(deps, context.incident, action, userId, at);
        deps.log?.info('actions: button', {action, incident: context.incident, changed: done.changed});
        // update.props replaces every prop: the delivery id the outbox finds the post by stays.
        const content = done.update ? {message: done.update.message, props: {...done.update.props, [DELIVERY_ID_PROP]: root.deliveryId}} : null;
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
