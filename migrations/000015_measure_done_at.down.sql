ALTER TABLE measures DROP CONSTRAINT measures_done_at_status;
ALTER TABLE measures DROP COLUMN done_at;
