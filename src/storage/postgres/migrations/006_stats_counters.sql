-- Statistics every instance shares: counter rows written in the same transaction as the log line
-- they count, so a figure on any instance is the database's, a moment after the question.

-- Lines written before this migration (or by an instance of an older version) are counted once,
-- at the next start, under an advisory lock; the partial index finds them without a scan.
ALTER TABLE question_log ADD COLUMN counted boolean NOT NULL DEFAULT false;
ALTER TABLE call_log ADD COLUMN counted boolean NOT NULL DEFAULT false;
CREATE INDEX question_log_uncounted ON question_log (seq) WHERE NOT counted;
CREATE INDEX call_log_uncounted ON call_log (seq) WHERE NOT counted;

-- One row per quarter × category × counter (src/stats/tally.ts names them): a new kind of
-- contact is a new counter name, not a new column.
CREATE TABLE stats_counts (
  quarter  text NOT NULL,
  category text NOT NULL,
  counter  text NOT NULL,
  value    bigint NOT NULL,
  PRIMARY KEY (quarter, category, counter)
);

-- Answered questions, so that a 👍/👎 or a pick counts where its question was, once.
CREATE TABLE stats_questions (
  id       text PRIMARY KEY,
  quarter  text NOT NULL,
  category text NOT NULL,
  text     text NOT NULL,
  helpful  boolean,
  picked   boolean NOT NULL DEFAULT false
);
CREATE INDEX stats_questions_quarter ON stats_questions (quarter);

-- Knowledge gap groups per quarter; the page reads the most frequent few hundred off the index.
CREATE TABLE stats_gaps (
  quarter     text NOT NULL,
  key         text NOT NULL,
  no_answer   integer NOT NULL,
  not_helpful integer NOT NULL,
  examples    jsonb NOT NULL DEFAULT '[]',
  topic_ids   jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (quarter, key)
);
CREATE INDEX stats_gaps_rank ON stats_gaps (quarter, (no_answer + not_helpful) DESC, key);
