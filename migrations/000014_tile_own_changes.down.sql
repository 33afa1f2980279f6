CREATE OR REPLACE FUNCTION tile_versions_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('trygg_tile_versions', NEW.x || ',' || NEW.y || ',' || NEW.version);
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION categories_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('trygg_categories', '');
    RETURN NULL;
END
$$;
