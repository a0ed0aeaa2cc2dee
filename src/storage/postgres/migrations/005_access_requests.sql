-- Access requests (behörighet): the whole request as JSON, with the columns queries filter on.
CREATE TABLE access_requests (
  id text PRIMARY KEY,
  number integer NOT NULL UNIQUE,
  version integer NOT NULL,
  draft_id text NOT NULL UNIQUE,
  status text NOT NULL,
  applicant_id text NOT NULL,
  manager_id text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  redacted boolean NOT NULL DEFAULT false,
  -- Version up to which the request's messages are known to be in the outbox.
  notified integer NOT NULL DEFAULT 0,
  data jsonb NOT NULL
);
CREATE INDEX access_requests_applicant ON access_requests (applicant_id);
CREATE INDEX access_requests_manager ON access_requests (manager_id);
CREATE INDEX access_requests_open ON access_requests (status)
  WHERE status IN ('awaiting-manager', 'at-support', 'needs-info');
CREATE INDEX access_requests_created ON access_requests (created_at);
CREATE SEQUENCE access_request_numbers;

CREATE TABLE access_emails (
  email text PRIMARY KEY,
  user_id text NOT NULL
);
