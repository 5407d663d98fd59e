import {ALERT_POST_TYPE as CONTRACT_ALERT, REPORT_POST_TYPE as CONTRACT_REPORT, SLO_ALERT_POST_TYPE as CONTRACT_SLO_ALERT} from '@contract';
import {ALERT_POST_TYPE, REPORT_POST_TYPE, SLO_ALERT_POST_TYPE, STATUS_POST_TYPE} from './post_types';

it('mirrors the contract post types exactly, and our own type is a custom_ type of its own', () => {
  expect(REPORT_POST_TYPE).toBe(CONTRACT_REPORT);
  expect(ALERT_POST_TYPE).toBe(CONTRACT_ALERT);
  expect(SLO_ALERT_POST_TYPE).toBe(CONTRACT_SLO_ALERT);
  expect(STATUS_POST_TYPE.startsWith('custom_')).toBe(true);
  expect([CONTRACT_REPORT, CONTRACT_ALERT, CONTRACT_SLO_ALERT]).not.toContain(STATUS_POST_TYPE);
  // The server stores a post's type in 26 characters.
  for (const type of [REPORT_POST_TYPE, ALERT_POST_TYPE, SLO_ALERT_POST_TYPE, STATUS_POST_TYPE]) expect(type.length).toBeLessThanOrEqual(26);
});
