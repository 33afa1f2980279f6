-- Back to 000008's trigger, which knows nothing of photos or re-pointing.
DROP INDEX IF EXISTS reports_duplicate_of_idx;
ALTER TABLE reports DROP COLUMN IF EXISTS merge_path;
DROP INDEX IF EXISTS report_confirmations_follow_up_idx;
ALTER TABLE report_confirmations DROP COLUMN IF EXISTS follow_up_hash;
ALTER TABLE photos DROP COLUMN IF EXISTS merged_from, DROP COLUMN IF EXISTS visibility, DROP COLUMN IF EXISTS confirmation_id;

CREATE OR REPLACE FUNCTION reports_move_confirmations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched uuid[];
BEGIN
    IF OLD.duplicate_of IS NOT NULL THEN
        WITH moved AS (
            UPDATE report_confirmations c
            SET report_id = NEW.id, merged_from = c.merged_from[1:array_position(c.merged_from, NEW.id) - 1]
            FROM (SELECT id, report_id AS holder FROM report_confirmations
                  WHERE merged_from @> ARRAY[NEW.id] FOR UPDATE) o
            WHERE c.id = o.id
            RETURNING o.holder)
        SELECT array_agg(DISTINCT holder) INTO touched FROM moved;
        UPDATE reports r SET confirmations = (SELECT count(*) FROM report_confirmations k WHERE k.report_id = r.id)
        WHERE r.id = ANY (touched) OR r.id = OLD.duplicate_of;
    END IF;
    IF NEW.duplicate_of IS NOT NULL THEN
        UPDATE report_confirmations c
        SET report_id = NEW.duplicate_of, merged_from = c.merged_from || NEW.id
        WHERE c.report_id = NEW.id AND NOT EXISTS (
            SELECT 1 FROM report_confirmations k WHERE k.report_id = NEW.duplicate_of AND k.device_hash = c.device_hash);
        UPDATE reports SET confirmations = (SELECT count(*) FROM report_confirmations WHERE report_id = NEW.duplicate_of)
        WHERE id = NEW.duplicate_of;
    END IF;
    NEW.confirmations := (SELECT count(*) FROM report_confirmations WHERE report_id = NEW.id);
    RETURN NEW;
END $$;
