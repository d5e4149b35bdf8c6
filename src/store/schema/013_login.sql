-- 013_login.sql: failed logins kept with the user they were made against
-- (issue #17): the count since the last success, when the last one was and
-- until when logins are refused (Unix seconds). Kept in the row, so no
-- number of made-up names can push a real user's count out of a table.
ALTER TABLE app_user ADD COLUMN login_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN login_last INTEGER NOT NULL DEFAULT 0;
ALTER TABLE app_user ADD COLUMN login_blocked_until INTEGER NOT NULL DEFAULT 0;
