-- Names compare by what they show (domain::text::name_key): NFKC, without white space, lower case. Two agencies
-- named 住房和城乡建设局 and 住房和 城乡建设局 (or with a Kangxi radical, or full-width letters) are one name.
CREATE FUNCTION name_key(name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(regexp_replace(normalize(name, NFKC), '\s', '', 'g'));

ALTER TABLE stations DROP CONSTRAINT stations_region_code_name_key;
CREATE UNIQUE INDEX stations_region_code_name_key ON stations (region_code, name_key(name));
ALTER TABLE agencies DROP CONSTRAINT agencies_region_code_name_key;
CREATE UNIQUE INDEX agencies_region_code_name_key ON agencies (region_code, name_key(name));
-- Siblings in the region tree, and categories under one parent, are told apart by name.
CREATE UNIQUE INDEX regions_name_key ON regions (coalesce(parent_code, ''), name_key(name));
CREATE UNIQUE INDEX categories_name_key ON categories (coalesce(parent_code, ''), name_key(name));

-- A deadline turns yellow no later than it falls due (domain::issue::warning::warn_at).
UPDATE deadlines SET warn_at = due_at WHERE warn_at > due_at;
ALTER TABLE deadlines ADD CONSTRAINT deadlines_warn_not_after_due CHECK (warn_at <= due_at);
