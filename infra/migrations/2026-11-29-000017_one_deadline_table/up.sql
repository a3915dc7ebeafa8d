-- One deadline table for issues' stages and livelihood projects' milestones (issue #20): a milestone's deadline was a
-- second copy of an issue's — its own columns on milestones, its own schedule query, its own worker path. A deadline
-- now belongs to an issue or to a milestone (its subject); one schedule, one rebuild and one worker take the steps of
-- both, and a milestone keeps only what is its own: its plan and when it was done.
ALTER TABLE deadlines
    ALTER COLUMN issue_id DROP NOT NULL,
    ADD COLUMN milestone_id uuid REFERENCES milestones (id),
    DROP CONSTRAINT deadlines_stage_check,
    ADD CONSTRAINT deadlines_stage_check
        CHECK (stage IN ('sign', 'reply', 'rereply', 'suggestion', 'rate', 'milestone')),
    ADD CONSTRAINT deadlines_one_subject CHECK (
        CASE stage WHEN 'milestone' THEN issue_id IS NULL AND milestone_id IS NOT NULL
                   ELSE issue_id IS NOT NULL AND milestone_id IS NULL END);

-- One deadline a milestone. Partial: the issues' deadlines, nearly every row, have none, and a full index would take
-- an entry for each of them at every step the worker writes.
CREATE UNIQUE INDEX deadlines_milestone ON deadlines (milestone_id) WHERE milestone_id IS NOT NULL;

-- The responsible agency must meet a milestone: the deadline names it, as an issue's agency stages name theirs.
INSERT INTO deadlines (id, milestone_id, stage, round, agency_id, started_at, due_at, warn_at, next_step, next_at,
                       ended_at, outcome)
SELECT m.id, m.id, 'milestone', 1, p.agency_id, m.started_at, m.due_at, m.warn_at,
       CASE WHEN m.done_at IS NULL THEN m.next_step END, CASE WHEN m.done_at IS NULL THEN m.next_at END,
       m.done_at, CASE WHEN m.done_at IS NOT NULL THEN 'met' END
  FROM milestones m JOIN projects p ON p.id = m.project_id
 WHERE m.started_at IS NOT NULL AND m.due_at IS NOT NULL AND m.warn_at IS NOT NULL;

DROP INDEX milestones_next;
ALTER TABLE milestones
    DROP COLUMN started_at, DROP COLUMN due_at, DROP COLUMN warn_at, DROP COLUMN next_step, DROP COLUMN next_at;

-- The issues' colours (migration 000015) need no change: their triggers find and update issues by a deadline's
-- issue, and a milestone's deadline has none.
