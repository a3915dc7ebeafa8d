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

-- New deadlines: the moments of the issues they belong to, once per statement whatever its rows (a bulk load too).
CREATE FUNCTION issues_keep_agency_times() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER deadlines_inserted_keep_agency_times AFTER INSERT ON deadlines
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION issues_keep_agency_times();

-- A deadline ended, moved or extended: its issue's moments. Row by row, and only when a moment, the ending or the
-- stage changed: the worker's steps write the next step alone and never fire it.
CREATE FUNCTION issues_keep_agency_times_of_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE issues i SET agency_due_at = t.due_at, agency_warn_at = t.warn_at
    FROM (SELECT min(d.due_at) AS due_at, min(d.warn_at) AS warn_at
          FROM deadlines d
          WHERE d.issue_id = NEW.issue_id AND d.ended_at IS NULL AND d.stage <> 'rate') t
    WHERE i.id = NEW.issue_id AND (i.agency_due_at, i.agency_warn_at) IS DISTINCT FROM (t.due_at, t.warn_at);
    RETURN NULL;
END
$$;

CREATE TRIGGER deadlines_updated_keep_agency_times AFTER UPDATE ON deadlines FOR EACH ROW
    WHEN ((OLD.due_at, OLD.warn_at, OLD.ended_at, OLD.stage) IS DISTINCT FROM (NEW.due_at, NEW.warn_at, NEW.ended_at, NEW.stage))
    EXECUTE FUNCTION issues_keep_agency_times_of_row();

-- Red lists walk newest first over the issues that have an open agency deadline at all.
CREATE INDEX issues_agency_due ON issues (id DESC) WHERE agency_due_at IS NOT NULL;
