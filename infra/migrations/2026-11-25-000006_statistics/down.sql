DROP INDEX issues_region_reported, issues_reported, issues_public;
DROP TABLE withholdings;
ALTER TABLE issues
    DROP COLUMN accepted_at, DROP COLUMN routed_at, DROP COLUMN signed_at, DROP COLUMN replied_at,
    DROP COLUMN sign_days, DROP COLUMN reply_days, DROP COLUMN replied_same_day, DROP COLUMN reply_late;
