ALTER TABLE deadlines DROP CONSTRAINT deadlines_warn_not_after_due;
DROP INDEX categories_name_key;
DROP INDEX regions_name_key;
DROP INDEX agencies_region_code_name_key;
ALTER TABLE agencies ADD CONSTRAINT agencies_region_code_name_key UNIQUE (region_code, name);
DROP INDEX stations_region_code_name_key;
ALTER TABLE stations ADD CONSTRAINT stations_region_code_name_key UNIQUE (region_code, name);
DROP FUNCTION name_key(text);
