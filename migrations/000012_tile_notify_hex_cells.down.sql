DROP TRIGGER IF EXISTS categories_notify ON categories;
DROP FUNCTION IF EXISTS categories_notify();
DROP TRIGGER IF EXISTS tile_versions_notify ON tile_versions;
DROP FUNCTION IF EXISTS tile_versions_notify();
DROP FUNCTION IF EXISTS hex_cell_polygon(integer, integer, float8, integer);
DROP FUNCTION IF EXISTS hex_cell(float8, float8, float8);
