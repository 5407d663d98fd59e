// The SLO burn-rate alerts' buttons joined to a running bridge: root posts leave for the outbox
// with their buttons and signature (like incident roots in incident-parts.ts), and what a button
// does reaches the SLO service (built after the routes: read through a getter).
import {SLO_ALERT_POST_TYPE, SLO_ALERT_PROP, type SloAlertData} from '../contract';
import {sloButtons} from '../actions/slo-buttons';
import type {SloAckRequest, SloActionPort} from '../actions/slo-perform';
import type {SloAlertOutbox} from '../slo/burn-alerts';
import type {SloService} from '../slo/service';
import type {PostSigner} from '../signing/post-signer';

export interface SloAlertOutboxOptions {
  outbox: SloAlertOutbox & {enqueue(item: Parameters<SloAlertOutbox['enqueue']>[0] & {type?: string}): string};
  sign?: PostSigner;
  /** Where Mattermost reaches the bridge and the buttons' key; null: no buttons. */
  buttons: {publicUrl: string; key: Buffer} | null;
  isMuted: (probe: string, now: number) => boolean;
  now: () => number;
}

/** The outbox as the SLO alerts see it: a root's content gets its buttons (while they apply) and its signature. */
export function sloAlertOutbox(o: SloAlertOutboxOptions): SloAlertOutbox {
  const root = (props: Record<string, unknown>): Record<string, unknown> => {
    const data = props[SLO_ALERT_PROP] as SloAlertData | undefined;
    if (!data) return props;
    const now = o.now();
    const muted = data.probes.length > 0 && data.probes.every((p) => o.isMuted(p, now));
    const withButtons = o.buttons ? {...props, ...sloButtons(o.buttons, data, muted, now)} : props;
    return o.sign ? o.sign({type: SLO_ALERT_POST_TYPE, props: withButtons}).props : withButtons;
  };
  return {
    enqueue: (item) => o.outbox.enqueue({...item, props: item.type === SLO_ALERT_POST_TYPE ? root(item.props) : item.props}),
    update: (deliveryId, content, at) => o.outbox.update(deliveryId, {...content, props: root(content.props)}, at),
  };
}

/** What the buttons need of the SLO service, which exists only once the bridge runs. */
export function sloActionPort(service: () => SloService | null, postIdOf: (deliveryId: string) => string | null): SloActionPort {
  return {
    alert: (alertId) => {
      const a = service()
        ?.openAlerts()
        .find((x) => x.id === alertId);
      return a ? {slo: a.slo, rootDeliveryId: a.rootDeliveryId, ...(a.ack ? {ack: a.ack} : {})} : null;
    },
    acknowledge: (alertId, by) => void service()?.acknowledge(alertId, by),
    probesOf: (slo) => service()?.slos.find((s) => s.name === slo)?.probes ?? null,
    postIdOf,
  };
}

/** Several bridges, on the leader: an acknowledgement a follower took, applied once, to that alert's own root only. */
export function applySloAck(port: SloActionPort, request: SloAckRequest): boolean {
  const alert = port.alert(request.alertId);
  if (!alert || alert.ack || port.postIdOf(alert.rootDeliveryId) !== request.postId) return false;
  port.acknowledge(request.alertId, request.by);
  return true;
}
