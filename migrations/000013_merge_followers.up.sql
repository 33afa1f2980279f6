-- Merging moves everything that belongs to a report's "place": confirmations
-- (000008), photos, and the people following it. Photos get the same stack of
-- reports they were moved away from as confirmations, so an un-merge moves
-- exactly those back. A photo sent with a confirmation belongs to that
-- confirmation and goes wherever it goes. Photos have their own moderation:
-- NULL follows the report's visibility (the reporter's and a walk's photos),
-- a confirmation's photo starts 'pending' and is public only once staff
-- publish it.
ALTER TABLE photos
    ADD COLUMN confirmation_id uuid REFERENCES report_confirmations (id) ON DELETE CASCADE,
    ADD COLUMN visibility text CHECK (visibility IN ('pending', 'published', 'hidden')),
    ADD COLUMN merged_from uuid[] NOT NULL DEFAULT '{}';
CREATE UNIQUE INDEX photos_confirmation_idx ON photos (confirmation_id) WHERE confirmation_id IS NOT NULL;
CREATE INDEX photos_merged_idx ON photos USING gin (merged_from);

-- A confirmation may come with a follow-up token of its own (only its hash is
-- kept), so the resident who said "me too" can follow the report like its reporter.
ALTER TABLE report_confirmations ADD COLUMN follow_up_hash bytea;
CREATE UNIQUE INDEX report_confirmations_follow_up_idx ON report_confirmations (follow_up_hash)
    WHERE follow_up_hash IS NOT NULL;

-- merge_path is the stack of reports a duplicate was re-pointed away from: when
-- B is merged into C, every report merged into B is re-pointed to C (so
-- duplicate_of always names a report that is not itself a duplicate) and B is
-- pushed on its path; un-merging B pops it and points them back at B.
ALTER TABLE reports ADD COLUMN merge_path uuid[] NOT NULL DEFAULT '{}';
CREATE INDEX reports_duplicate_of_idx ON reports (duplicate_of) WHERE duplicate_of IS NOT NULL;

CREATE OR REPLACE FUNCTION reports_move_confirmations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched uuid[];
BEGIN
    -- Re-pointing a duplicate along its chain moves nothing: its rows went
    -- along with the report it had been merged into.
    IF OLD.duplicate_of IS NOT NULL AND NEW.duplicate_of IS NOT NULL THEN
        RETURN NEW;
    END IF;
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
        UPDATE photos p
        SET report_id = NEW.id, merged_from = p.merged_from[1:array_position(p.merged_from, NEW.id) - 1]
        WHERE p.confirmation_id IS NULL AND p.merged_from @> ARRAY[NEW.id];
        -- Duplicates re-pointed away from this report when it was merged come back to it.
        WITH back AS (
            UPDATE reports d
            SET duplicate_of = NEW.id, merge_path = d.merge_path[1:cardinality(d.merge_path) - 1], version = d.version + 1
            WHERE d.duplicate_of = OLD.duplicate_of AND d.merge_path[cardinality(d.merge_path)] = NEW.id
            RETURNING d.id, d.version)
        INSERT INTO report_events (report_id, actor, actor_kind, type, public, data)
        SELECT id, 'system', 'system', 'repointed', true,
               jsonb_build_object('from', OLD.duplicate_of, 'into', NEW.id, 'version', version)
        FROM back;
        NEW.merge_path := '{}';
    END IF;
    IF NEW.duplicate_of IS NOT NULL THEN
        UPDATE report_confirmations c
        SET report_id = NEW.duplicate_of, merged_from = c.merged_from || NEW.id
        WHERE c.report_id = NEW.id AND NOT EXISTS (
            SELECT 1 FROM report_confirmations k WHERE k.report_id = NEW.duplicate_of AND k.device_hash = c.device_hash);
        UPDATE reports SET confirmations = (SELECT count(*) FROM report_confirmations WHERE report_id = NEW.duplicate_of)
        WHERE id = NEW.duplicate_of;
        UPDATE photos p SET report_id = NEW.duplicate_of, merged_from = p.merged_from || NEW.id
        WHERE p.report_id = NEW.id AND p.confirmation_id IS NULL;
        WITH onward AS (
            UPDATE reports d
            SET duplicate_of = NEW.duplicate_of, merge_path = d.merge_path || NEW.id, version = d.version + 1
            WHERE d.duplicate_of = NEW.id
            RETURNING d.id, d.version)
        INSERT INTO report_events (report_id, actor, actor_kind, type, public, data)
        SELECT id, 'system', 'system', 'repointed', true,
               jsonb_build_object('from', NEW.id, 'into', NEW.duplicate_of, 'version', version)
        FROM onward;
    END IF;
    -- A confirmation's photo follows its confirmation.
    UPDATE photos p SET report_id = c.report_id, merged_from = c.merged_from
    FROM report_confirmations c
    WHERE p.confirmation_id = c.id AND c.report_id IN (NEW.id, NEW.duplicate_of) AND p.report_id <> c.report_id;
    NEW.confirmations := (SELECT count(*) FROM report_confirmations WHERE report_id = NEW.id);
    RETURN NEW;
END $$;
