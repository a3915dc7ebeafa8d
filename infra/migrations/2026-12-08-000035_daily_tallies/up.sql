-- Statistics at a province's size (issue #38 §5): a period's figures summed from daily tallies instead of one scan
-- of every issue reported in it. What a tally counts is what the scan counts (infra::db::stats::tally), kept per
-- report day (Asia/Shanghai), tally region (the issue's county, or the city or province above it for an issue placed
-- there: `regions.tally_path`), category and lead agency. The worker writes tallies; every change to an issue (or to who joined it) leaves
-- a mark of its day and region in the same transaction, and a query counts a marked day of a region by scanning its
-- issues instead, until the worker has tallied it again. So a figure from tallies equals the scan at every moment.

-- Times to sign and to reply are kept to a tenth of a working day (about 48 minutes), so that a tally can hold them
-- as a histogram: the 90th percentile of tenths is the same from a histogram as from a scan.
UPDATE issues SET sign_days = round(sign_days::numeric, 1) WHERE sign_days IS NOT NULL;
UPDATE issues SET reply_days = round(reply_days::numeric, 1) WHERE reply_days IS NOT NULL;

-- Each region's tally region: itself at county level or above, else its parent's (the county a township or village
-- lies in; the city, for a township directly under a city). Set as regions are placed or moved.
ALTER TABLE regions ADD COLUMN tally_path text;
WITH RECURSIVE tree AS (
    SELECT code, path, path AS tally_path FROM regions WHERE parent_code IS NULL
    UNION ALL
    SELECT r.code, r.path, CASE WHEN r.level IN ('province', 'city', 'county') THEN r.path ELSE t.tally_path END
      FROM regions r JOIN tree t ON r.parent_code = t.code
)
UPDATE regions r SET tally_path = tree.tally_path FROM tree WHERE tree.code = r.code;
ALTER TABLE regions ALTER COLUMN tally_path SET NOT NULL;
CREATE INDEX regions_tally ON regions (tally_path);

CREATE FUNCTION regions_tally_path() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.tally_path := CASE
        WHEN NEW.level IN ('province', 'city', 'county') THEN NEW.path
        ELSE coalesce((SELECT p.tally_path FROM regions p WHERE p.code = NEW.parent_code), NEW.path)
    END;
    RETURN NEW;
END $$;
CREATE TRIGGER regions_tally_path BEFORE INSERT OR UPDATE OF level, path, parent_code ON regions
    FOR EACH ROW EXECUTE FUNCTION regions_tally_path();

-- A day's tally, or (whole_month, day the month's first) the sum of a month's day tallies, which a query reads for a
-- month it covers whole and that holds no stale day of the region.
CREATE TABLE issue_tallies (
    whole_month         boolean NOT NULL,
    day                 date NOT NULL,
    region_path         text NOT NULL,
    -- '' for none, the nil uuid for none: keys, never NULL.
    category_code       text NOT NULL,
    agency_id           uuid NOT NULL,
    reported            integer NOT NULL,
    accepted            integer NOT NULL,
    declined            integer NOT NULL,
    merged              integer NOT NULL,
    routed              integer NOT NULL,
    replied             integer NOT NULL,
    replied_a           integer NOT NULL,
    replied_b           integer NOT NULL,
    replied_c           integer NOT NULL,
    solved_on_the_spot  integer NOT NULL,
    converted           integer NOT NULL,
    closed              integer NOT NULL,
    -- As settled on the issue: a query adds what open deadlines past due make late now.
    due_for_reply       integer NOT NULL,
    replied_on_time     integer NOT NULL,
    rated               integer NOT NULL,
    satisfied           integer NOT NULL,
    reopened            integer NOT NULL,
    joins               integer NOT NULL,
    -- Months, then days: a period's whole months and its other days are each one range of this key.
    PRIMARY KEY (whole_month, day, region_path, category_code, agency_id)
);

-- How many issues of a tally took each time (tenths of a working day) to sign ('sign') and to reply ('reply'). A
-- month's rows are summed over categories and agencies too (category '' and the nil agency): they answer a region's
-- whole figures in a few hundred rows a month, where a day's keep every key for breakdowns and an agency's figures.
CREATE TABLE issue_tally_times (
    whole_month   boolean NOT NULL,
    day           date NOT NULL,
    region_path   text NOT NULL,
    category_code text NOT NULL,
    agency_id     uuid NOT NULL,
    stage         text NOT NULL CHECK (stage IN ('sign', 'reply')),
    days          real NOT NULL,
    issues        integer NOT NULL,
    PRIMARY KEY (whole_month, day, region_path, category_code, agency_id, stage, days)
);

-- Days of tally regions whose tallies are behind: one row a change (appended, never updated, so that a change never waits
-- on another's mark), deleted by the worker once it has tallied what it saw.
CREATE TABLE issue_tallies_stale (
    day         date NOT NULL,
    region_path text NOT NULL
);
CREATE INDEX issue_tallies_stale_day ON issue_tallies_stale (day, region_path);

CREATE FUNCTION issue_tallies_mark() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_TABLE_NAME = 'issues' THEN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            INSERT INTO issue_tallies_stale
            SELECT (OLD.created_at AT TIME ZONE 'Asia/Shanghai')::date, r.tally_path
              FROM regions r WHERE r.code = OLD.region_code;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO issue_tallies_stale
            SELECT (NEW.created_at AT TIME ZONE 'Asia/Shanghai')::date, r.tally_path
              FROM regions r WHERE r.code = NEW.region_code;
        END IF;
    ELSE
        INSERT INTO issue_tallies_stale
        SELECT (i.created_at AT TIME ZONE 'Asia/Shanghai')::date, r.tally_path
          FROM issues i JOIN regions r ON r.code = i.region_code
         WHERE i.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.issue_id ELSE NEW.issue_id END;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER issues_tallies_mark AFTER INSERT OR UPDATE OR DELETE ON issues
    FOR EACH ROW EXECUTE FUNCTION issue_tallies_mark();
CREATE TRIGGER issue_joins_tallies_mark AFTER INSERT OR DELETE ON issue_joins
    FOR EACH ROW EXECUTE FUNCTION issue_tallies_mark();

-- Every day already reported waits for its first tally.
INSERT INTO issue_tallies_stale
SELECT DISTINCT (i.created_at AT TIME ZONE 'Asia/Shanghai')::date, r.tally_path
  FROM issues i JOIN regions r ON r.code = i.region_code;
