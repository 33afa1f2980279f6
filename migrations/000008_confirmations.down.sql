DROP TRIGGER IF EXISTS reports_merge_confirmations ON reports;
DROP FUNCTION IF EXISTS reports_move_confirmations();
DROP INDEX IF EXISTS reports_nearby_open_idx;
-- btree_gist stays: dropping an extension other objects may use is not this migration's call.
DROP TABLE IF EXISTS report_confirmations;
ALTER TABLE reports DROP COLUMN IF EXISTS confirmations;
