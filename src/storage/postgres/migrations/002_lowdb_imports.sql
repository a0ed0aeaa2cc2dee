-- Which append-only lowdb logs `npm run migrate:lowdb-to-postgres` has copied in: log lines have
-- no key of their own, so this row is what makes a second run add nothing.
CREATE TABLE lowdb_imports (
  file        text PRIMARY KEY,
  entries     integer NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now()
);
