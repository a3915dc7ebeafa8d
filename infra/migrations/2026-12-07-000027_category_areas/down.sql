DROP TABLE category_areas;
ALTER TABLE categories DROP COLUMN region_code;
