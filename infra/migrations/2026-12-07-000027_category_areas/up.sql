-- Categories per area, as FixMyStreet keeps them per body: a county offers or stops offering a category in its own
-- subtree and calls it by a name of its own there (the deepest setting on a place's path decides), and may add a
-- category of its own, offered only within its subtree (categories.region_code; none: offered everywhere).
ALTER TABLE categories ADD COLUMN region_code text REFERENCES regions (code);

CREATE TABLE category_areas (
    region_code   text NOT NULL REFERENCES regions (code),
    category_code text NOT NULL REFERENCES categories (code),
    offered       boolean NOT NULL,
    -- The name the category goes by in this subtree; none: the name from above.
    name          text,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (region_code, category_code)
);

CREATE TRIGGER category_areas_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON category_areas
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
