import {fakeHttp, type FakeRequest} from '../testing/fakes';
import {BOT_ID, LOG_CHANNEL_ID, OTHER_ID, alertPost, fixture, reportPost, serverRoutes} from '../testing/fixtures';
import {REPORT_PAGE_SIZE, fetchLatestReport} from './latest_report';

describe('fetchLatestReport', () => {
  it('takes the newest trusted report from one page, skipping forged, malformed and other posts', async () => {
    const good = reportPost(fixture('report.v1.json'));
    const older = reportPost(fixture('report.ok.v1.json'));
    const posts = [
      reportPost(fixture('report.ok.v1.json'), {user_id: OTHER_ID}),
      reportPost(fixture('report.invalid.json')),
      alertPost(fixture('alert.open.v1.json')),
      {...reportPost(fixture('report.ok.v1.json')), delete_at: 5},
      good,
      older,
    ];
    const log: FakeRequest[] = [];
    const latest = await fetchLatestReport(fakeHttp(serverRoutes({posts}), log), LOG_CHANNEL_ID, BOT_ID);
    expect(latest?.postId).toBe(good.id);
    expect(latest?.report.overall).toBe('failing');
    expect(log).toHaveLength(1);
    expect(log[0]?.query.get('per_page')).toBe(String(REPORT_PAGE_SIZE));
  });

  it('finds nothing in an empty channel or one with only forged reports', async () => {
    expect(await fetchLatestReport(fakeHttp(serverRoutes({posts: []})), LOG_CHANNEL_ID, BOT_ID)).toBeNull();
    const forged = reportPost(fixture('report.v1.json'), {user_id: OTHER_ID});
    expect(await fetchLatestReport(fakeHttp(serverRoutes({posts: [forged]})), LOG_CHANNEL_ID, BOT_ID)).toBeNull();
  });
});
