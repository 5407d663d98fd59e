import {Registry} from 'prom-client';
import {backlogOf, createDeliveryMetrics} from './delivery-metrics';

async function values(registry: Registry): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const m of await registry.getMetricsAsJSON()) out[m.name] = m.values[0]?.value ?? NaN;
  return out;
}

describe('createDeliveryMetrics', () => {
  it('reads the outbox at scrape time and ages its oldest post from when it was queued', async () => {
    let now = 1_000_000;
    let backlog = {oldestAt: null as number | null};
    const registry = new Registry();
    createDeliveryMetrics(registry, {backlog: () => backlog, heartbeatMs: 300_000, now: () => now});
    expect(await values(registry)).toMatchObject({healthcheck_outbox_oldest_pending_age_seconds: 0, healthcheck_report_heartbeat_seconds: 300});
    backlog = {oldestAt: now - 90_000};
    expect(await values(registry)).toMatchObject({healthcheck_outbox_oldest_pending_age_seconds: 90});
    now += 10_000;
    expect((await values(registry)).healthcheck_outbox_oldest_pending_age_seconds).toBe(100);
  });

  it('dates the last report from the start until one is delivered, and never moves it back', async () => {
    const registry = new Registry();
    const m = createDeliveryMetrics(registry, {backlog: () => ({oldestAt: null}), heartbeatMs: 60_000, now: () => 5_000});
    expect((await values(registry)).healthcheck_report_last_delivered_timestamp_seconds).toBe(5);
    m.reportDelivered(20_000);
    m.reportDelivered(12_000);
    expect((await values(registry)).healthcheck_report_last_delivered_timestamp_seconds).toBe(20);
  });
});

describe('backlogOf', () => {
  it('finds the earliest queued post, whatever the order, and falls back to the event time for posts saved before enqueuedAt existed', () => {
    const item = (happenedAt: number, enqueuedAt?: number) => ({
      deliveryId: String(happenedAt),
      op: 'create' as const,
      channelId: 'c',
      message: '',
      props: {},
      happenedAt,
      enqueuedAt,
      attempts: 0,
      nextAttemptAt: 0,
    });
    expect(backlogOf({pending: [], delivered: []})).toEqual({oldestAt: null});
    expect(backlogOf({pending: [item(1, 30), item(2, 10), item(3, 20)], delivered: []})).toEqual({oldestAt: 10});
    expect(backlogOf({pending: [item(40, 50), item(5)], delivered: []})).toEqual({oldestAt: 5});
  });
});
