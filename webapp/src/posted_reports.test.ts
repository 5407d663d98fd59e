import {createPostedReports, reportPostFromEvent} from './posted_reports';

const event = (post: unknown) => ({event: 'posted', data: {post: typeof post === 'string' ? post : JSON.stringify(post)}});

describe('reportPostFromEvent', () => {
  it("takes report posts from posted events, whoever wrote them (trust is the reader's job)", () => {
    const post = {id: 'p1', user_id: 'anyone', type: 'custom_healthcheck_report', channel_id: 'c', message: '', create_at: 1};
    expect(reportPostFromEvent(event(post))).toEqual(post);
  });

  it('ignores other posts, other events and broken JSON', () => {
    expect(reportPostFromEvent(event({id: 'p2', type: ''}))).toBeNull();
    expect(reportPostFromEvent(event({id: 'p3', type: 'custom_healthcheck_alert'}))).toBeNull();
    expect(reportPostFromEvent(event('{not json'))).toBeNull();
    expect(reportPostFromEvent({event: 'posted'})).toBeNull();
  });
});

describe('createPostedReports', () => {
  it('delivers to current subscribers only', () => {
    const reports = createPostedReports();
    const seen: string[] = [];
    const off = reports.subscribe((p) => seen.push(p?.id ?? 'reconnect'));
    reports.emit({id: 'a', user_id: 'u', channel_id: 'c', message: '', create_at: 1});
    reports.emit(null);
    off();
    reports.emit({id: 'b', user_id: 'u', channel_id: 'c', message: '', create_at: 2});
    expect(seen).toEqual(['a', 'reconnect']);
  });
});
