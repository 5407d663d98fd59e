// POST /actions/slo: Mattermost calls it when a button of an SLO burn-rate alert is clicked. Trusted
// as the incident buttons are (route.ts): the context's token for this alert, objective and action
// (an incident's token does not pass: each kind signs under its own prefix), within its window; a
// trigger_id the server signed for this user, recent and never seen; the ops channel and the
// alert's own root post. The root is then edited by the outbox (one edit, as /healthcheck slo ack).
import type {FastifyInstance, FastifyPluginAsync} from 'fastify';
import * as z from 'zod';
import {describeError} from '../mm/errors';
import {MARK} from '../text/marks';
import {checkActionToken} from './action-token';
import {clickRequest, proveClick, type ClickProofDeps} from './click-proof';
import {ACTIONS_BODY_LIMIT} from './route';
import {isSloAction, SLO_ACTIONS_PATH, sloSubject} from './slo-buttons';
import {performSlo, type SloPerformDeps} from './slo-perform';

export interface SloActionRouteDeps extends SloPerformDeps, ClickProofDeps {
  key: Buffer;
  now?: () => number;
  log?: {info(msg: string, f?: Record<string, unknown>): void; warn(msg: string, f?: Record<string, unknown>): void};
}

const body = clickRequest(z.object({alert: z.string().max(256), slo: z.string().max(64), action: z.string().max(32), token: z.string().max(256), expires: z.number().optional()}));

export function sloActionRoutes(deps: SloActionRouteDeps): FastifyPluginAsync {
  const now = deps.now ?? Date.now;
  return async (app: FastifyInstance) => {
    app.post(SLO_ACTIONS_PATH, {bodyLimit: ACTIONS_BODY_LIMIT}, async (req, reply) => {
      const parsed = body.safeParse(req.body);
      if (!parsed.success) return reply.code(400).send({error: 'not an action request'});
      const {user_id: userId, post_id: postId, channel_id: channelId, trigger_id: triggerId, context} = parsed.data;
      const {action, alert: alertId, slo} = context;
      const at = now();
      const token = isSloAction(action) ? checkActionToken(deps.key, sloSubject(alertId, slo), action, context.expires, context.token, at, 'slo') : 'forged';
      if (token === 'forged' || !isSloAction(action)) {
        deps.log?.warn('actions: refused an SLO alert request without a valid token', {ip: req.ip});
        return reply.code(403).send({error: 'forbidden'});
      }
      if (token === 'expired') return {ephemeral_text: `${MARK.refused} These buttons have expired; use \`/healthcheck slo ack\` or wait for the post to be updated.`};
      const proven = await proveClick(deps, reply, {triggerId, userId, at});
      if (!proven.ok) return proven.answer;
      const {ops} = proven;
      // The post must be the alert's root. A follower that does not know the alert or its post id yet
      // (the leader saves it a moment after posting) leaves that check to the leader, which applies the acknowledgement.
      const known = deps.slo.alert(alertId);
      const rootPostId = known ? deps.slo.postIdOf(known.rootDeliveryId) : null;
      const local = deps.forward ? deps.forward.local() : true;
      const wrongPost = known !== null && (rootPostId === null ? local : rootPostId !== postId);
      if (channelId !== ops || wrongPost) return reply.code(403).send({error: 'forbidden'});
      try {
        const done = await performSlo(deps, {alertId, slo, postId}, action, userId, at);
        deps.log?.info('actions: SLO alert button', {action, alert: alertId, changed: done.changed});
        return {ephemeral_text: done.text};
      } catch (err) {
        deps.log?.warn('actions: could not check the user with the server', {error: describeError(err)});
        return {ephemeral_text: `${MARK.warning} Could not check your roles with the server; try again.`};
      }
    });
  };
}
