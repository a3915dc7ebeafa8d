-- 领单: what happens to an elected project after the vote. Its own timeline, hash-chained like an issue's
-- (domain::project::timeline); where it is; the agency's requests to change its plan and staff's decisions; the
-- money allocated and spent; a citizen's comment turned into an issue; notices that name the project.

-- Each event chains to the one before it; `projects.events` says how many there are, so deleting the newest is
-- caught too. The chain begins at the election.
CREATE TABLE project_events (
    project_id uuid NOT NULL REFERENCES projects (id),
    seq        integer NOT NULL CHECK (seq > 0),
    kind       text NOT NULL,
    actor_id   uuid REFERENCES users (id),
    actor_role text,
    note       text,
    data       text NOT NULL,
    at         timestamptz NOT NULL,
    prev_hash  bytea NOT NULL,
    hash       bytea NOT NULL,
    PRIMARY KEY (project_id, seq)
);

ALTER TABLE projects
    ADD COLUMN events    integer NOT NULL DEFAULT 0,
    -- Where the work is; none: the ballot's region as a whole.
    ADD COLUMN latitude  double precision CHECK (latitude BETWEEN -90 AND 90),
    ADD COLUMN longitude double precision CHECK (longitude BETWEEN -180 AND 180),
    ADD COLUMN address   text,
    ADD CONSTRAINT projects_place_whole CHECK ((latitude IS NULL) = (longitude IS NULL));

-- A request to change an elected project's plan: postpone a milestone, add one, or change one's content; staff over
-- the project decide it once.
CREATE TABLE plan_changes (
    id            uuid PRIMARY KEY,
    project_id    uuid NOT NULL REFERENCES projects (id),
    kind          text NOT NULL CHECK (kind IN ('postpone', 'add', 'amend')),
    milestone_id  uuid REFERENCES milestones (id),
    -- postpone: the new day; add: the new milestone's day and title; amend: the new title.
    title         text,
    planned_on    date,
    reason        text NOT NULL,
    asked_by      uuid NOT NULL REFERENCES users (id),
    asked_at      timestamptz NOT NULL,
    decision      text CHECK (decision IN ('approved', 'refused')),
    decision_note text,
    decided_by    uuid REFERENCES users (id),
    decided_at    timestamptz,
    CHECK ((kind = 'add') = (milestone_id IS NULL)),
    CHECK (kind <> 'postpone' OR (planned_on IS NOT NULL AND title IS NULL)),
    CHECK (kind <> 'add' OR (planned_on IS NOT NULL AND title IS NOT NULL)),
    CHECK (kind <> 'amend' OR (planned_on IS NULL AND title IS NOT NULL)),
    CHECK ((decision IS NULL) = (decided_at IS NULL) AND (decision IS NULL) = (decided_by IS NULL))
);
CREATE INDEX plan_changes_project ON plan_changes (project_id, asked_at DESC);
-- One open request a milestone: a second would race the first.
CREATE UNIQUE INDEX plan_changes_open_milestone ON plan_changes (milestone_id) WHERE decision IS NULL;

-- 拨付 (allocated to the project) and 支出 (spent by it), against its budget.
CREATE TABLE project_spending (
    id          uuid PRIMARY KEY,
    project_id  uuid NOT NULL REFERENCES projects (id),
    kind        text NOT NULL CHECK (kind IN ('allocated', 'spent')),
    on_date     date NOT NULL,
    amount_yuan bigint NOT NULL CHECK (amount_yuan > 0),
    note        text NOT NULL,
    recorded_by uuid NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL
);
CREATE INDEX project_spending_project ON project_spending (project_id, on_date, id);

ALTER TABLE photos ADD COLUMN spending_id uuid REFERENCES project_spending (id);
ALTER TABLE photos DROP CONSTRAINT photos_one_use;
ALTER TABLE photos ADD CONSTRAINT photos_one_use CHECK (num_nonnulls(issue_id, report_id, spending_id) <= 1);

-- Staff turned the comment into an issue of the 报议督评 loop; the issue finds its comment by this too.
ALTER TABLE project_comments ADD COLUMN issue_id uuid REFERENCES issues (id);
CREATE UNIQUE INDEX project_comments_issue ON project_comments (issue_id) WHERE issue_id IS NOT NULL;

-- A milestone's or a project's notice opens the project.
ALTER TABLE notifications ADD COLUMN project_id uuid REFERENCES projects (id);
