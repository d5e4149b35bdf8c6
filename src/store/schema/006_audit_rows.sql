-- 006_audit_rows.sql: the audit chain covers the recorded rows. An event
-- that wrote form entries, form versions, explanations, lots, official
-- communes and totals, candidates or ledger events keeps in rows_digest a
-- digest of those rows (covered by its hash), and audit_row keeps each
-- row's key and digest, so that `khum audit verify` recomputes them from the
-- stored rows and names the first one changed. Events before this migration
-- have no rows ('') and verify as before. Append-only, like audit_event.

ALTER TABLE audit_event ADD COLUMN rows_digest TEXT NOT NULL DEFAULT '';

CREATE TABLE audit_row (
    event   INTEGER NOT NULL REFERENCES audit_event(id),
    seq     INTEGER NOT NULL,          -- order written within the event, from 1
    tbl     TEXT NOT NULL,
    row_key TEXT NOT NULL,             -- the primary key's columns joined by '/'
    digest  TEXT NOT NULL,
    PRIMARY KEY (event, seq)
);
-- The latest event that wrote a row is the one its stored content must match.
CREATE INDEX audit_row_latest ON audit_row(tbl, row_key, event);

-- @sqlite
CREATE TRIGGER audit_row_no_update BEFORE UPDATE ON audit_row
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_row_no_delete BEFORE DELETE ON audit_row
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
-- @end
--pg CREATE TRIGGER audit_row_no_change BEFORE UPDATE OR DELETE ON audit_row
--pg FOR EACH ROW EXECUTE FUNCTION khum_audit_append_only();
