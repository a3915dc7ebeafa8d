ALTER TABLE notifications DROP COLUMN project_id;
ALTER TABLE project_comments DROP COLUMN issue_id;
ALTER TABLE photos DROP CONSTRAINT photos_one_use;
ALTER TABLE photos DROP COLUMN spending_id;
ALTER TABLE photos ADD CONSTRAINT photos_one_use CHECK (issue_id IS NULL OR report_id IS NULL);
DROP TABLE project_spending;
DROP TABLE plan_changes;
ALTER TABLE projects
    DROP CONSTRAINT projects_place_whole,
    DROP COLUMN address,
    DROP COLUMN longitude,
    DROP COLUMN latitude,
    DROP COLUMN events;
DROP TABLE project_events;
