DELETE FROM scenes WHERE project_id IS NOT NULL;
ALTER TABLE scenes DROP CONSTRAINT scenes_one_target;
ALTER TABLE scenes DROP COLUMN project_id;
ALTER TABLE scenes ADD CONSTRAINT scenes_check CHECK ((station_id IS NULL) <> (deputy_id IS NULL));
DROP TABLE project_ratings;
DROP TABLE project_comments;
ALTER TABLE photos DROP COLUMN report_id;
DROP TABLE project_reports;
