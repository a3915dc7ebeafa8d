DROP TRIGGER categories_bump ON categories;
DROP TRIGGER agency_categories_bump ON agency_categories;
DROP TRIGGER agencies_bump ON agencies;
DROP TRIGGER routing_rules_bump ON routing_rules;
DROP TRIGGER deadline_policies_bump ON deadline_policies;
DROP TRIGGER calendar_days_bump ON calendar_days;
DROP FUNCTION bump_reference_version();
DROP TABLE reference_version;
