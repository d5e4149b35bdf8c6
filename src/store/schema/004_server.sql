-- 004_server.sql: users with roles and scopes, login sessions, and the
-- hash-chained audit log. The audit log is append-only (triggers refuse
-- UPDATE and DELETE); each event carries the hash of the one before it, so
-- removing or changing an event breaks the chain (khum audit verify).

CREATE TABLE app_user (
    name     TEXT PRIMARY KEY,
    role     TEXT NOT NULL CHECK (role IN ('clerk', 'coordinator', 'admin', 'observer')),
    scope    TEXT NOT NULL DEFAULT '',      -- area or station codes, ';'-separated
    pw_hash  TEXT NOT NULL,                 -- Argon2id, libsodium's crypto_pwhash_str
    disabled INTEGER NOT NULL DEFAULT 0,
    created  TEXT NOT NULL,
    updated  TEXT NOT NULL
);

-- Only a SHA-256 of each 256-bit token is kept: a stolen database holds no
-- usable session.
CREATE TABLE app_session (
    token_hash TEXT PRIMARY KEY,
    user       TEXT NOT NULL REFERENCES app_user(name),
    csrf       TEXT NOT NULL,
    created    TEXT NOT NULL,
    expires    INTEGER NOT NULL                -- Unix seconds
);
CREATE INDEX app_session_user ON app_session(user);

CREATE TABLE audit_event (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    type      TEXT NOT NULL,
    object    TEXT NOT NULL,
    area      TEXT NOT NULL DEFAULT '',
    before    TEXT NOT NULL DEFAULT '',
    after     TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_event_actor ON audit_event(actor);
CREATE INDEX audit_event_type ON audit_event(type);

-- @sqlite
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
-- @end
--pg CREATE FUNCTION khum_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS
--pg $$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
--pg CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event
--pg FOR EACH ROW EXECUTE FUNCTION khum_audit_append_only();
