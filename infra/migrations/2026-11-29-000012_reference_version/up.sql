-- Reference data (the calendar, deadline policies, routing rules, agencies, categories, regions, stations) changes a few times a year and
-- is read by almost every command. Each process keeps a copy; this one number says when copies are out of date. It is
-- read with the caller on every signed-in request (no extra statement), and bumped by these triggers in the very
-- transaction that changes the data, so no writer can forget to and every instance sees the change at its next request.
CREATE TABLE reference_version (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    version bigint NOT NULL
);
INSERT INTO reference_version (one, version) VALUES (true, 1);

CREATE FUNCTION bump_reference_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE reference_version SET version = version + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER calendar_days_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_days
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
CREATE TRIGGER deadline_policies_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON deadline_policies
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
CREATE TRIGGER routing_rules_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON routing_rules
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
CREATE TRIGGER agencies_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON agencies
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
CREATE TRIGGER agency_categories_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON agency_categories
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
CREATE TRIGGER categories_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON categories
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
CREATE TRIGGER regions_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON regions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
CREATE TRIGGER stations_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON stations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version();
