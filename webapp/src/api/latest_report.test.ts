import {fakeHttp, type FakeRequest} from '../testing/fakes';
import {BOT_ID, LOG_CHANNEL_ID, OTHER_ID, alertPost, fixture, reportPost, serverRoutes} from '../testing/fixtures';
import {testSigner, useNodeWebCrypto} from '../testing/signer';
import {REPORT_PROP} from '@contract';
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
    // The bot's profile names no report here: one page of posts decides.
    expect(log.map((r) => r.path)).toEqual([`/users/${BOT_ID}`, `/channels/${LOG_CHANNEL_ID}/posts`]);
    expect(log[1]?.query.get('per_page')).toBe(String(REPORT_PAGE_SIZE));
  });

  it('finds the report the bot profile names, however many other posts came after it', async () => {
    const pointed = reportPost(fixture('report.v1.json'), {id: 'reportpost0000000000000000'});
    const flood = Array.from({length: 200}, (_, i) => reportPost(fixture('report.ok.v1.json'), {user_id: OTHER_ID, id: `flood${i}`}));
    const log: FakeRequest[] = [];
    const latest = await fetchLatestReport(fakeHttp(serverRoutes({posts: [...flood, pointed], reportPointer: pointed.id}), log), LOG_CHANNEL_ID, BOT_ID);
    expect(latest?.postId).toBe(pointed.id);
    expect(log.map((r) => r.path)).toEqual([`/users/${BOT_ID}`, `/posts/${pointed.id}`]);
  });

  it('does not take a pointed post that is not a report of the bot in this channel', async () => {
    const elsewhere = reportPost(fixture('report.v1.json'), {id: 'reportpost0000000000000001', channel_id: 'otherchannel00000000000000'});
    const forged = reportPost(fixture('report.v1.json'), {id: 'reportpost0000000000000002', user_id: OTHER_ID});
    for (const p of [elsewhere, forged]) expect(await fetchLatestReport(fakeHttp(serverRoutes({posts: [p], reportPointer: p.id})), LOG_CHANNEL_ID, BOT_ID)).toBeNull();
  });

  it('finds nothing in an empty channel or one with only forged reports', async () => {
    expect(await fetchLatestReport(fakeHttp(serverRoutes({posts: []})), LOG_CHANNEL_ID, BOT_ID)).toBeNull();
    const forged = reportPost(fixture('report.v1.json'), {user_id: OTHER_ID});
    expect(await fetchLatestReport(fakeHttp(serverRoutes({posts: [forged]})), LOG_CHANNEL_ID, BOT_ID)).toBeNull();
  });

  it('with the bot signing key, skips a report whose props were patched after signing (and an unsigned one)', async () => {
    useNodeWebCrypto();
    const {spki, sign: signed} = testSigner();
    const genuine = signed(reportPost(fixture('report.v1.json')));
    const newer = signed(reportPost(fixture('report.v1.json')));
    const patched = {...newer, props: {...newer.props, [REPORT_PROP]: {...fixture('report.v1.json'), overall: 'ok'}}};
    const posts = [patched, reportPost(fixture('report.ok.v1.json')), genuine];
    const latest = await fetchLatestReport(fakeHttp(serverRoutes({posts})), LOG_CHANNEL_ID, BOT_ID, spki);
    expect(latest?.postId).toBe(genuine.id);
    // Without a key in the declaration the newest (patched) one would have been taken.
    expect((await fetchLatestReport(fakeHttp(serverRoutes({posts})), LOG_CHANNEL_ID, BOT_ID))?.postId).toBe(patched.id);
  });
});
