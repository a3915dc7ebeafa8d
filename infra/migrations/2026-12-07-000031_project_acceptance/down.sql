DROP TABLE evaluated_projects;
ALTER TABLE ballots DROP CONSTRAINT ballots_rectify_days, DROP COLUMN rectify_days, DROP COLUMN kind;
ALTER TABLE projects
    DROP CONSTRAINT projects_delivery_elected,
    DROP COLUMN delivery_at,
    DROP COLUMN delivery_note,
    DROP COLUMN delivery;
