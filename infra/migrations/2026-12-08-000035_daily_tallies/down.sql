DROP TRIGGER issue_joins_tallies_mark ON issue_joins;
DROP TRIGGER issues_tallies_mark ON issues;
DROP FUNCTION issue_tallies_mark();
DROP TABLE issue_tallies_stale, issue_tally_times, issue_tallies;
DROP TRIGGER regions_tally_path ON regions;
DROP FUNCTION regions_tally_path();
ALTER TABLE regions DROP COLUMN tally_path;
