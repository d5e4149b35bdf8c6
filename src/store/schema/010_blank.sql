-- 010_blank.sql: a form entry's blank ballots, validly cast for no list
-- (Portugal's and Spain's forms count them; Cambodia's have none, so every
-- entry made before keeps 0). valid stays the lists' sum and
-- valid + blank + invalid = cast (docs/checks.md).
ALTER TABLE form_entry ADD COLUMN blank INTEGER NOT NULL DEFAULT 0;
