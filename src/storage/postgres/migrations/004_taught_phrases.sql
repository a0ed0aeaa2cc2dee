-- "Lär boten": phrases support staff taught the bot. Never deleted: an undo sets undone_at, and a
-- later phrase with the same key takes over while the earlier one stays in the history.
CREATE TABLE taught_phrases (
  seq            bigserial PRIMARY KEY,
  id             text NOT NULL UNIQUE,
  question       text NOT NULL,
  key            text NOT NULL,
  topic_id       text NOT NULL,
  taught_by_id   text NOT NULL,
  taught_by_name text NOT NULL,
  taught_at      timestamptz NOT NULL,
  via            text NOT NULL,
  undone_at      timestamptz,
  undone_by_id   text,
  undone_by_name text
);

-- One row, bumped in the same transaction as every change: what each instance checks (cheaply)
-- before it answers, to see whether another instance taught something.
CREATE TABLE taught_phrases_revision (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  revision bigint NOT NULL
);
INSERT INTO taught_phrases_revision (revision) VALUES (0);
