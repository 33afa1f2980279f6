-- When a measure was marked done. The lägesbild counts a completed measure in
-- the period it was completed, and updated_at moves with any later edit (a
-- note, an owner), so it cannot say that. Set when a measure becomes done,
-- kept on other changes, cleared when it is reopened (internal/postgres
-- walks_findings.go). Measures already done get their last change, the best
-- there is.
ALTER TABLE measures ADD COLUMN done_at timestamptz;
UPDATE measures SET done_at = updated_at WHERE status = 'done';
ALTER TABLE measures ADD CONSTRAINT measures_done_at_status CHECK ((status = 'done') = (done_at IS NOT NULL));
