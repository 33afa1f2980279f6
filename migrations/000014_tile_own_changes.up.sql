-- A server learns of its own writes from the writes themselves, not from a
-- LISTEN on every pool connection (internal/postgres/tilewatch.go): a session
-- that sets trygg.own_changes = 'on' (the server's pool does, at connect) is
-- told each change with a NOTICE (SQLSTATE TR100, message the channel, detail
-- the payload) as the statement that makes it runs. The server holds those
-- back until the transaction has ended and applies them then, before the
-- write is answered. Everything else (other servers, imports, psql) hears
-- nothing new; the NOTIFYs go on as before for the one listening connection
-- each server keeps.
CREATE OR REPLACE FUNCTION tile_versions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    payload text := NEW.x || ',' || NEW.y || ',' || NEW.version;
BEGIN
    PERFORM pg_notify('trygg_tile_versions', payload);
    IF current_setting('trygg.own_changes', true) = 'on' THEN
        RAISE NOTICE USING MESSAGE = 'trygg_tile_versions', DETAIL = payload, ERRCODE = 'TR100';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION categories_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('trygg_categories', '');
    IF current_setting('trygg.own_changes', true) = 'on' THEN
        RAISE NOTICE USING MESSAGE = 'trygg_categories', DETAIL = '', ERRCODE = 'TR100';
    END IF;
    RETURN NULL;
END
$$;
