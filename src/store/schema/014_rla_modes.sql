-- 014_rla_modes.sql: how an audit measures (docs/rla.md), recorded with its
-- seed and like it fixed before anything is drawn: 'polling' (ALPHA on the
-- ballots read) or 'oneaudit' (the same ballots against the official station
-- forms). Audits opened before keep polling, the only mode they had.
ALTER TABLE rla_audit ADD COLUMN mode TEXT NOT NULL DEFAULT 'polling';
