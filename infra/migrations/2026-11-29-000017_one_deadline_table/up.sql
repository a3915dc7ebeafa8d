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

-- The issues' colours (migration 000015) are of issues' deadlines alone: a milestone's never touches them.
CREATE OR REPLACE FUNCTION issues_keep_agency_times() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched uuid[];
BEGIN
    SELECT array_agg(DISTINCT issue_id) INTO touched
      FROM new_rows WHERE ended_at IS NULL AND stage NOT IN ('rate', 'milestone');
    IF touched IS NULL THEN
        RETURN NULL;
    END IF;
    UPDATE issues i SET agency_due_at = t.due_at, agency_warn_at = t.warn_at
    FROM (SELECT c.id, min(d.due_at) AS due_at, min(d.warn_at) AS warn_at
          FROM unnest(touched) AS c(id)
          LEFT JOIN deadlines d ON d.issue_id = c.id AND d.ended_at IS NULL AND d.stage <> 'rate'
          GROUP BY c.id) t
    WHERE i.id = t.id AND (i.agency_due_at, i.agency_warn_at) IS DISTINCT FROM (t.due_at, t.warn_at);
    RETURN NULL;
END
$$;

DROP TRIGGER deadlines_updated_keep_agency_times ON deadlines;
CREATE TRIGGER deadlines_updated_keep_agency_times AFTER UPDATE ON deadlines FOR EACH ROW
    WHEN (NEW.issue_id IS NOT NULL AND
          (OLD.due_at, OLD.warn_at, OLD.ended_at, OLD.stage) IS DISTINCT FROM (NEW.due_at, NEW.warn_at, NEW.ended_at, NEW.stage))
    EXECUTE FUNCTION issues_keep_agency_times_of_row();
