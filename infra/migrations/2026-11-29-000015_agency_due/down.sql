DROP INDEX issues_agency_due;
DROP TRIGGER deadlines_updated_keep_agency_times ON deadlines;
DROP TRIGGER deadlines_inserted_keep_agency_times ON deadlines;
DROP FUNCTION issues_keep_agency_times_of_row();
DROP FUNCTION issues_keep_agency_times();
ALTER TABLE issues DROP COLUMN agency_warn_at, DROP COLUMN agency_due_at;
