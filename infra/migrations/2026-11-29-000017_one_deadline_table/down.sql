DROP TRIGGER deadlines_updated_keep_agency_times ON deadlines;
CREATE TRIGGER deadlines_updated_keep_agency_times AFTER UPDATE ON deadlines FOR EACH ROW
    WHEN ((OLD.due_at, OLD.warn_at, OLD.ended_at, OLD.stage) IS DISTINCT FROM (NEW.due_at, NEW.warn_at, NEW.ended_at, NEW.stage))
    EXECUTE FUNCTION issues_keep_agency_times_of_row();

CREATE OR REPLACE FUNCTION issues_keep_agency_times() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched uuid[];
BEGIN
    SELECT array_agg(DISTINCT issue_id) INTO touched FROM new_rows WHERE ended_at IS NULL AND stage <> 'rate';
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

ALTER TABLE milestones
    ADD COLUMN started_at timestamptz,
    ADD COLUMN due_at     timestamptz,
    ADD COLUMN warn_at    timestamptz,
    ADD COLUMN next_step  text CHECK (next_step IN ('warn', 'due', 'escalate')),
    ADD COLUMN next_at    timestamptz,
    ADD CHECK ((next_step IS NULL) = (next_at IS NULL));
UPDATE milestones m SET started_at = d.started_at, due_at = d.due_at, warn_at = d.warn_at,
                        next_step = d.next_step, next_at = d.next_at
  FROM deadlines d WHERE d.milestone_id = m.id;
CREATE INDEX milestones_next ON milestones (next_at) WHERE done_at IS NULL AND next_at IS NOT NULL;

DELETE FROM deadlines WHERE milestone_id IS NOT NULL;
ALTER TABLE deadlines
    DROP CONSTRAINT deadlines_one_subject,
    DROP CONSTRAINT deadlines_stage_check,
    ADD CONSTRAINT deadlines_stage_check CHECK (stage IN ('sign', 'reply', 'rereply', 'suggestion', 'rate')),
    DROP COLUMN milestone_id,
    ALTER COLUMN issue_id SET NOT NULL;
