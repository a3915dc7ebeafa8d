-- 验单: an elected project is delivered, declared complete by its agency, accepted (验收) or returned by staff, and
-- evaluated by deputies in a secret satisfaction evaluation (满意度测评) — a ballot of its own kind, with the same
-- roster, blind signatures and papers as an election. A project rated below the evaluation's share goes to 整改
-- (rectification) with a deadline, and to a later evaluation.

-- delivering → completed (the agency's summary) → accepted (staff) → satisfied, or rectifying → completed → …
ALTER TABLE projects
    ADD COLUMN delivery      text CHECK (delivery IN ('delivering', 'completed', 'accepted', 'rectifying', 'satisfied')),
    ADD COLUMN delivery_note text,
    ADD COLUMN delivery_at   timestamptz,
    ADD CONSTRAINT projects_delivery_elected CHECK ((delivery IS NULL) = (outcome IS DISTINCT FROM 'elected'));
UPDATE projects SET delivery = 'delivering' WHERE outcome = 'elected';
-- The tally sets outcome and delivery in one statement; until then a candidate has neither.

ALTER TABLE ballots
    ADD COLUMN kind text NOT NULL DEFAULT 'election' CHECK (kind IN ('election', 'evaluation')),
    -- An evaluation: the days a project rated below its share has to rectify.
    ADD COLUMN rectify_days integer CHECK (rectify_days BETWEEN 1 AND 365),
    ADD CONSTRAINT ballots_rectify_days CHECK ((kind = 'evaluation') = (rectify_days IS NOT NULL));

-- The projects an evaluation rates, in the order its papers list them, and what the papers said of each.
CREATE TABLE evaluated_projects (
    ballot_id    uuid NOT NULL REFERENCES ballots (id),
    project_id   uuid NOT NULL REFERENCES projects (id),
    position     integer NOT NULL,
    satisfied    integer,
    basically    integer,
    dissatisfied integer,
    passed       boolean,
    PRIMARY KEY (ballot_id, project_id),
    UNIQUE (ballot_id, position),
    CHECK ((passed IS NULL) = (satisfied IS NULL) AND (passed IS NULL) = (basically IS NULL)
           AND (passed IS NULL) = (dissatisfied IS NULL))
);
CREATE INDEX evaluated_projects_project ON evaluated_projects (project_id);
