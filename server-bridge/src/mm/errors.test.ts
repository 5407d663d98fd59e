import {describeError, unreachableOf} from './errors';

describe('describeError', () => {
  it('appends a network failure code such as ECONNREFUSED', () => {
    const err = new TypeError('fetch failed', {cause: Object.assign(new Error('connect refused'), {code: 'ECONNREFUSED'})});
    expect(describeError(err)).toBe('fetch failed (ECONNREFUSED)');
  });

  it('does not append a numeric code: a timeout reads "no answer within N ms", not "… (23)"', () => {
    const timeout = Object.assign(new Error('no answer within 1000 ms'), {name: 'TimeoutError', code: 23});
    expect(describeError(timeout)).toBe('no answer within 1000 ms');
  });

  it('reads a DOMException timeout by its message alone (its code is 23)', () => {
    expect(describeError(new DOMException('no answer within 1000 ms', 'TimeoutError'))).toBe('no answer within 1000 ms');
  });

  it('says "no answer within N ms" for a request aborted by its deadline, without a number after it', () => {
    const controller = new AbortController();
    controller.abort(new DOMException('no answer within 1000 ms', 'TimeoutError'));
    const err = unreachableOf(new Error('This operation was aborted'), 'POST', '/api/v4/posts', controller.signal);
    expect(err.message).toBe('POST /api/v4/posts failed: no answer within 1000 ms');
  });
});
