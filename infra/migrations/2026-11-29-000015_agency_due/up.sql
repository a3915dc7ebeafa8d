-- 三色预警 filters ("red": an open agency deadline past due; "yellow": one past its warning, none due) asked, for each
-- issue walked newest first, whether such a deadline exists. With thousands of fresh issues that have none on top of
-- the list, every red list stepped over all of them (scripts/bench http's mixed run). Each issue now carries the
-- soonest due and warning moments of its open agency deadlines, kept by triggers on deadlines (no writer can forget
-- them, and no command sends one more statement), and a list asks the row itself.
ALTER TABLE issues ADD COLUMN agency_due_at timestamptz, ADD COLUMN agency_warn_at timestamptz;

UPDATE issues i SET agency_due_at = d.due_at, agency_warn_at = d.warn_at
FROM (SELECT issue_id, min(due_at) AS due_at, min(warn_at) AS warn_at
      FROM deadlines WHERE ended_at IS NULL AND stage <> 'rate' GROUP BY issue_id) d
WHERE d.issue_id = i.id;

-- Recomputes the moments of the issues whose agency deadlines a statement opened, ended or moved: once per
-- statement, whatever its rows (the worker retimes a thousand deadlines in one, moving no moment).
CREATE FUNCTION issues_keep_agency_times() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched uuid[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(DISTINCT issue_id) INTO touched FROM new_rows WHERE ended_at IS NULL AND stage <> 'rate';
    ELSE
        SELECT array_agg(DISTINCT n.issue_id) INTO touched
        FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.due_at, n.warn_at, n.ended_at, n.stage) IS DISTINCT FROM (o.due_at, o.warn_at, o.ended_at, o.stage);
    END IF;
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

CREATE TRIGGER deadlines_inserted_keep_agency_times AFTER INSERT ON deadlines
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION issues_keep_agency_times();
CREATE TRIGGER deadlines_updated_keep_agency_times AFTER UPDATE ON deadlines
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION issues_keep_agency_times();

-- Red lists walk newest first over the issues that have an open agency deadline at all.
CREATE INDEX issues_agency_due ON issues (id DESC) WHERE agency_due_at IS NOT NULL;
