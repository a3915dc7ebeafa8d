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
