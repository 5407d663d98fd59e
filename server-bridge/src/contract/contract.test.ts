import {readFileSync} from 'node:fs';
import path from 'node:path';
import {
  ALERT_POST_TYPE,
  ALERT_PROP,
  REPORT_POST_TYPE,
  REPORT_PROP,
  SLO_ALERT_POST_TYPE,
  SLO_ALERT_PROP,
  alertSchema,
  parseAlertPost,
  parseReportPost,
  parseSloAlertPost,
  reportSchema,
  sloAlertSchema,
} from './index';

const fixture = (name: string): unknown => JSON.parse(readFileSync(path.resolve(__dirname, '../../../tests/fixtures', name), 'utf8'));
const BOT = 'botuserid00000000000000000';

describe('golden fixtures', () => {
  it.each(['report.v1.json', 'report.ok.v1.json', 'report.slo.v1.json'])('%s parses as a report', (name) => {
    expect(reportSchema.safeParse(fixture(name)).success).toBe(true);
  });
  it.each(['alert.open.v1.json', 'alert.resolved.v1.json'])('%s parses as an alert', (name) => {
    expect(alertSchema.safeParse(fixture(name)).success).toBe(true);
  });
  it.each(['slo-alert.open.v1.json', 'slo-alert.resolved.v1.json'])('%s parses as an SLO alert', (name) => {
    expect(sloAlertSchema.safeParse(fixture(name)).success).toBe(true);
  });
  it('rejects the invalid report with the paths at fault', () => {
    const result = reportSchema.safeParse(fixture('report.invalid.json'));
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(paths).toEqual(expect.arrayContaining(['schema', 'probes.0.uptime24h']));
  });
});

describe('trust', () => {
  const report = {user_id: BOT, type: REPORT_POST_TYPE, props: {[REPORT_PROP]: fixture('report.v1.json')}};
  it('accepts a report posted by the configured bot', () => {
    expect(parseReportPost(report, BOT)).toMatchObject({ok: true});
  });
  it('refuses the same post by anyone else', () => {
    expect(parseReportPost({...report, user_id: 'someoneelse000000000000000'}, BOT)).toEqual({ok: false, reason: 'untrusted_author'});
  });
  it('refuses everything when no bot is configured', () => {
    expect(parseReportPost(report, '')).toEqual({ok: false, reason: 'untrusted_author'});
  });
  it('refuses malformed props from the bot, saying where', () => {
    const parsed = parseReportPost({...report, props: {[REPORT_PROP]: {schema: 'healthcheck.report/v1'}}}, BOT);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok === false && parsed.detail).toContain('generatedAt');
  });
  it('refuses an alert type read as a report', () => {
    const alert = {user_id: BOT, type: ALERT_POST_TYPE, props: {[ALERT_PROP]: fixture('alert.open.v1.json')}};
    expect(parseReportPost(alert, BOT)).toEqual({ok: false, reason: 'wrong_type'});
    expect(parseAlertPost(alert, BOT)).toMatchObject({ok: true});
  });
  it('reads an SLO alert only as an SLO alert, and only from the bot', () => {
    const slo = {user_id: BOT, type: SLO_ALERT_POST_TYPE, props: {[SLO_ALERT_PROP]: fixture('slo-alert.open.v1.json')}};
    expect(parseSloAlertPost(slo, BOT)).toMatchObject({ok: true, value: {slo: 'log-in', ack: {by: 'oncall'}}});
    expect(parseAlertPost(slo, BOT)).toEqual({ok: false, reason: 'wrong_type'});
    expect(parseSloAlertPost({...slo, user_id: 'someoneelse000000000000000'}, BOT)).toEqual({ok: false, reason: 'untrusted_author'});
  });
});
