DROP TRIGGER IF EXISTS categories_tile_versions ON categories;
DROP FUNCTION IF EXISTS tile_versions_bump_category();
DROP TRIGGER IF EXISTS reports_tile_versions_delete ON reports;
DROP TRIGGER IF EXISTS reports_tile_versions_update ON reports;
DROP TRIGGER IF EXISTS reports_tile_versions_insert ON reports;
DROP FUNCTION IF EXISTS tile_versions_bump();
DROP FUNCTION IF EXISTS tile_version_square(geometry);
DROP TABLE IF EXISTS tile_versions;
DROP SEQUENCE IF EXISTS tile_version_seq;
