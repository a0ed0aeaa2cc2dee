-- The first schema: every store the lowdb files hold, as tables several bot instances share.
-- Documents the domain owns whole (a ticket with its history, a notice, a card) are kept as
-- `json`, not `jsonb`: json keeps the text as given, including a "\u0000" a user typed, which
-- jsonb refuses. Columns the stores query on are pulled out beside them.

CREATE TABLE recipients (
  id            text PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('user', 'channel')),
  name          text NOT NULL,
  tenant_id     text NOT NULL,
  reference     json NOT NULL,
  first_seen_at text NOT NULL,
  gone_at       text
);
CREATE INDEX recipients_kind ON recipients (kind);

-- Ticket numbers come from a sequence: two instances opening tickets at once never share one,
-- and a number is never handed out twice (a crash between nextval and the insert leaves a gap).
CREATE SEQUENCE ticket_numbers;

CREATE TABLE tickets (
  id           text PRIMARY KEY,
  number       integer NOT NULL UNIQUE,
  version      integer NOT NULL CHECK (version >= 1),
  draft_id     text NOT NULL UNIQUE,
  requester_id text NOT NULL,
  status       text NOT NULL,
  opened_at    text NOT NULL,
  -- Version up to which the ticket's messages are known to be in the outbox.
  notified     integer NOT NULL DEFAULT 0,
  data         json NOT NULL
);
CREATE INDEX tickets_requester ON tickets (requester_id);
CREATE INDEX tickets_active ON tickets (status) WHERE status IN ('open', 'taken');
CREATE INDEX tickets_unnotified ON tickets (id) WHERE notified < version;

CREATE TABLE support_channels (
  name         text PRIMARY KEY,
  recipient_id text NOT NULL
);

CREATE TABLE support_staff (
  id   text PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE notices (
  id      text PRIMARY KEY,
  version integer NOT NULL CHECK (version >= 1),
  data    json NOT NULL
);

-- "Jag påverkas också" clicks: a row each, so a click never rewrites (or races) the notice.
CREATE TABLE notice_affected_users (
  notice_id text NOT NULL REFERENCES notices (id) ON DELETE CASCADE,
  user_id   text NOT NULL,
  seq       bigserial,
  PRIMARY KEY (notice_id, user_id)
);

CREATE TABLE announcement_channels (
  recipient_id text PRIMARY KEY,
  seq          bigserial
);

CREATE TABLE question_log (
  seq   bigserial PRIMARY KEY,
  entry json NOT NULL
);

CREATE TABLE call_log (
  seq   bigserial PRIMARY KEY,
  entry json NOT NULL
);

-- One card sent to 10,000 people is stored once.
CREATE TABLE outbox_replies (
  hash  text PRIMARY KEY,
  reply json NOT NULL
);

CREATE TABLE outbox_messages (
  key             text PRIMARY KEY,
  -- Order within a lane (a recipient): one message at a time, in the order enqueued.
  seq             bigserial NOT NULL,
  op              text NOT NULL CHECK (op IN ('send', 'update', 'create-thread')),
  to_recipient    text,
  thread_of       text,
  of_key          text,
  reply_hash      text NOT NULL REFERENCES outbox_replies (hash),
  bulk            boolean NOT NULL DEFAULT false,
  lane            text NOT NULL,
  state           text NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'gone')),
  attempts        integer NOT NULL DEFAULT 0,
  -- Milliseconds since the epoch, by the instances' clocks: when it may be tried (again).
  not_before      bigint NOT NULL DEFAULT 0,
  -- Which instance is sending it, until when: a crashed instance's claims come back at expiry.
  lease_owner     text,
  lease_until     bigint,
  conversation_id text,
  activity_id     text,
  error           text,
  enqueued_at     bigint NOT NULL,
  changed_at      bigint NOT NULL
);
-- The claim scans pending messages interactive first, oldest first, and asks whether each is
-- the head of its lane: both walks stay on these two small partial indexes.
CREATE INDEX outbox_pending_order ON outbox_messages (bulk, seq) WHERE state = 'pending';
CREATE INDEX outbox_pending_lane ON outbox_messages (lane, seq) WHERE state = 'pending';
CREATE INDEX outbox_done_changed ON outbox_messages (changed_at) WHERE state <> 'pending';
CREATE INDEX outbox_of_key ON outbox_messages (of_key) WHERE of_key IS NOT NULL;
CREATE INDEX outbox_thread_of ON outbox_messages (thread_of) WHERE thread_of IS NOT NULL;
