-- 码上监督: an elected livelihood project under supervision — its agency's progress reports (with photos, one of
-- them completing a milestone), deputies' inspection records, citizens' comments and star ratings (星级评价), and a QR
-- code of its own that leads to its public page.

CREATE TABLE project_reports (
    id           uuid PRIMARY KEY,
    project_id   uuid NOT NULL REFERENCES projects (id),
    -- progress: by a handler of the responsible agency; inspection (视察): by a deputy or staff.
    kind         text NOT NULL CHECK (kind IN ('progress', 'inspection')),
    author_id    uuid NOT NULL REFERENCES users (id),
    note         text NOT NULL,
    -- How far the work is, as the agency reports it.
    percent      smallint CHECK (percent BETWEEN 0 AND 100),
    -- The milestone this progress report completes.
    milestone_id uuid UNIQUE REFERENCES milestones (id),
    created_at   timestamptz NOT NULL,
    CHECK (kind = 'progress' OR (percent IS NULL AND milestone_id IS NULL))
);
CREATE INDEX project_reports_project ON project_reports (project_id, id DESC);
CREATE INDEX project_reports_inspector ON project_reports (author_id, created_at) WHERE kind = 'inspection';

-- A photo serves one issue or one project report, never both.
ALTER TABLE photos ADD COLUMN report_id uuid REFERENCES project_reports (id);
ALTER TABLE photos ADD CONSTRAINT photos_one_use CHECK (issue_id IS NULL OR report_id IS NULL);
CREATE INDEX photos_report ON photos (report_id) WHERE report_id IS NOT NULL;

-- A comment WeChat's content check could not judge waits for a person before the public page shows it.
CREATE TABLE project_comments (
    id           uuid PRIMARY KEY,
    project_id   uuid NOT NULL REFERENCES projects (id),
    author_id    uuid NOT NULL REFERENCES users (id),
    body         text NOT NULL,
    needs_review boolean NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX project_comments_project ON project_comments (project_id, id DESC);
CREATE INDEX project_comments_author ON project_comments (author_id);

-- One rating a person and project: rating again replaces it.
CREATE TABLE project_ratings (
    project_id uuid NOT NULL REFERENCES projects (id),
    rater_id   uuid NOT NULL REFERENCES users (id),
    stars      smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
    rated_at   timestamptz NOT NULL,
    PRIMARY KEY (project_id, rater_id)
);
CREATE INDEX project_ratings_rater ON project_ratings (rater_id);

-- A scene now leads to a station, a deputy or a project.
ALTER TABLE scenes ADD COLUMN project_id uuid UNIQUE REFERENCES projects (id);
ALTER TABLE scenes DROP CONSTRAINT scenes_check;
ALTER TABLE scenes ADD CONSTRAINT scenes_one_target CHECK (num_nonnulls(station_id, deputy_id, project_id) = 1);
