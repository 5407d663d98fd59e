// Post types the entry registers. The contract (@contract) defines them, but importing it here would
// pull zod into main.js; post_types.test.ts pins these copies to the contract.
export const REPORT_POST_TYPE = 'custom_healthcheck_report';
export const ALERT_POST_TYPE = 'custom_healthcheck_alert';
export const SLO_ALERT_POST_TYPE = 'custom_healthcheck_slo';
/** Our own type for the ephemeral /healthcheck answer; only answers made in this browser are shown. */
export const STATUS_POST_TYPE = 'custom_healthcheck_status';
