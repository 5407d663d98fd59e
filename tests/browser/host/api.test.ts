// The CSRF token for writes comes from the MMCSRF cookie, as Client4 reads it.
import {csrfToken} from './api';

describe('csrfToken', () => {
  it('finds MMCSRF among other cookies', () => {
    expect(csrfToken('MMUSERID=u1; MMCSRF=tok%2B1; other=x')).toBe('tok+1');
  });
  it('is null without it', () => {
    expect(csrfToken('MMUSERID=u1')).toBeNull();
  });
});
