// The PostgreSQL store's schema, versioned: applied in order at start, each once, under a
// transaction-scoped advisory lock so bridges starting together apply each one exactly once.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'incidents, outbox, delivered posts, reports, mutes, acknowledgements, lease, vantages',
    sql: `
CREATE TABLE hc_lease (
  name text PRIMARY KEY,
  holder text,
  epoch bigint NOT NULL DEFAULT 0,
  renewed_at timestamptz,
  expires_at timestamptz NOT NULL DEFAULT 'epoch'
);
INSERT INTO hc_lease (name) VALUES ('leader');

CREATE TABLE hc_incidents (
  id text PRIMARY KEY,
  target text NOT NULL,
  open boolean NOT NULL,
  opened_at bigint NOT NULL,
  resolved_at bigint,
  row jsonb NOT NULL
);
-- One open incident per target, whoever writes.
CREATE UNIQUE INDEX hc_incidents_one_open ON hc_incidents (target) WHERE open;

-- The posts of an incident's thread: one per kind and sequence (root, reminder n, ack, resolved).
CREATE TABLE hc_incident_posts (
  incident_id text NOT NULL,
  kind text NOT NULL,
  sequence integer NOT NULL,
  delivery_id text NOT NULL UNIQUE,
  PRIMARY KEY (incident_id, kind, sequence)
);

CREATE TABLE hc_trackers (key text PRIMARY KEY, probe text NOT NULL, target text NOT NULL, row jsonb NOT NULL);
CREATE TABLE hc_mutes (id text PRIMARY KEY, until_at bigint NOT NULL, row jsonb NOT NULL);
-- An acknowledgement is one conditional insert, by whichever bridge the button or command reached.
CREATE TABLE hc_acks (incident_id text PRIMARY KEY, by_user text NOT NULL, at bigint NOT NULL);

CREATE TABLE hc_outbox (
  delivery_id text PRIMARY KEY,
  seq bigint NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'parked')),
  attempts integer NOT NULL,
  row jsonb NOT NULL
);
CREATE TABLE hc_delivered (delivery_id text PRIMARY KEY, post_id text NOT NULL, channel_id text NOT NULL, row jsonb NOT NULL);
CREATE TABLE hc_reports (post_id text PRIMARY KEY, at bigint NOT NULL);
CREATE TABLE hc_meta (key text PRIMARY KEY, row jsonb NOT NULL);

-- Each bridge (vantage) and what it sees: its heartbeat, and its state of each probe and target.
CREATE TABLE hc_vantages (instance text PRIMARY KEY, seen_at timestamptz NOT NULL, row jsonb NOT NULL);
CREATE TABLE hc_votes (
  instance text NOT NULL,
  target text NOT NULL,
  probe text NOT NULL,
  state text NOT NULL,
  since bigint,
  at timestamptz NOT NULL,
  row jsonb NOT NULL,
  PRIMARY KEY (instance, target, probe)
);
-- Signed requests (buttons, acting commands) seen, so a replay to another bridge is refused too.
CREATE TABLE hc_replays (id text PRIMARY KEY, expires_at bigint NOT NULL);
-- Mutes and unmutes asked of a bridge that is not the leader, applied by the leader in order.
CREATE TABLE hc_requests (id bigserial PRIMARY KEY, kind text NOT NULL, row jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), applied_at timestamptz);
`,
  },
  {
    version: 2,
    name: "each bridge's own result history",
    sql: `
-- Each bridge probes on its own, so each keeps its own history: the gzipped history file, in a row
-- that only the bridge of that instance name writes (not fenced by the lease: it is not shared).
CREATE TABLE hc_history (
  instance text PRIMARY KEY,
  saved_at timestamptz NOT NULL DEFAULT now(),
  bytes bytea NOT NULL
);
`,
  },
];

/** The lock every bridge takes (transaction-scoped) to apply migrations one at a time. */
export const MIGRATION_LOCK = 7_316_551_201;
