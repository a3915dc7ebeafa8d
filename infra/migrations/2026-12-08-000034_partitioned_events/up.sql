-- The timeline, partitioned by time (issue #38 §4). Issue ids are UUIDv7, whose first 48 bits are the millisecond
-- they were made, so a range of issue ids is a range of report times: each calendar month (UTC) of reports has a
-- partition of its own, and every event of an issue lies in its report month's partition, whatever day it happens.
-- A timeline read (`issue_id = $1`) touches one partition; an old month is a table of its own to move to cheaper
-- storage, and none is ever dropped: the timeline is the record. Ids outside every month's range (ids not UUIDv7)
-- land in the default partition. The worker makes the coming months' partitions ahead (`issue_events_cover`), so
-- the default partition stays empty of ordinary reports.

-- The smallest UUIDv7 of the millisecond `at`, as infra::db::retention::v7_floor makes it.
CREATE FUNCTION uuid_v7_floor(at timestamptz) RETURNS uuid
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT (lpad(to_hex(floor(extract(epoch FROM at) * 1000)::bigint), 12, '0') || '70008000000000000000')::uuid $$;

-- Makes the missing monthly partitions of issue_events from the month of `first` to the month of `last` (UTC);
-- answers how many it made. Safe to run on several workers at once: a partition another made first is passed over,
-- as is a month whose reports already lie in the default partition (they stay there, still read).
CREATE FUNCTION issue_events_cover(first timestamptz, last timestamptz) RETURNS integer
    LANGUAGE plpgsql
    AS $$
DECLARE
    month timestamp := date_trunc('month', first AT TIME ZONE 'UTC');
    name  text;
    made  integer := 0;
BEGIN
    WHILE month <= last AT TIME ZONE 'UTC' LOOP
        name := 'issue_events_' || to_char(month, 'YYYY_MM');
        IF to_regclass(name) IS NULL THEN
            BEGIN
                EXECUTE format('CREATE TABLE %I PARTITION OF issue_events FOR VALUES FROM (%L) TO (%L)',
                               name,
                               uuid_v7_floor(month AT TIME ZONE 'UTC'),
                               uuid_v7_floor((month + interval '1 month') AT TIME ZONE 'UTC'));
                made := made + 1;
            EXCEPTION
                WHEN duplicate_table OR unique_violation THEN NULL;
                WHEN check_violation THEN
                    RAISE WARNING 'issue_events: % keeps its events in the default partition', name;
            END;
        END IF;
        month := month + interval '1 month';
    END LOOP;
    RETURN made;
END $$;

ALTER TABLE issue_events RENAME TO issue_events_unpartitioned;
ALTER TABLE issue_events_unpartitioned RENAME CONSTRAINT issue_events_pkey TO issue_events_unpartitioned_pkey;
DROP INDEX issue_events_actor;
DROP INDEX issue_events_urged;

CREATE TABLE issue_events (
    issue_id    uuid NOT NULL CONSTRAINT issue_events_issue_id_fkey REFERENCES issues (id),
    seq         integer NOT NULL CONSTRAINT issue_events_seq_check CHECK (seq >= 1),
    kind        text NOT NULL,
    actor_id    uuid CONSTRAINT issue_events_actor_id_fkey REFERENCES users (id),
    actor_role  text,
    from_status text,
    to_status   text,
    note        text,
    internal    boolean NOT NULL DEFAULT false,
    -- JSON text as written: hashed as stored, never re-serialised.
    data        text NOT NULL DEFAULT '{}',
    at          timestamptz NOT NULL,
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL,
    PRIMARY KEY (issue_id, seq)
) PARTITION BY RANGE (issue_id);
CREATE TABLE issue_events_default PARTITION OF issue_events DEFAULT;

-- Every month since the oldest UUIDv7 issue (ids of another kind, as old demo data may have, go to the default
-- partition), and the three to come.
SELECT issue_events_cover(
    coalesce((SELECT to_timestamp(('x' || substr(replace(id::text, '-', ''), 1, 12))::bit(48)::bigint / 1000.0)
                FROM issues
               WHERE substr(id::text, 15, 1) = '7' AND id >= uuid_v7_floor('2020-01-01T00:00:00Z')
                 AND id < uuid_v7_floor(now() + interval '1 day')
               ORDER BY id LIMIT 1),
             now()),
    now() + interval '3 months');

INSERT INTO issue_events SELECT * FROM issue_events_unpartitioned;
DROP TABLE issue_events_unpartitioned;

CREATE INDEX issue_events_actor ON issue_events (actor_id) WHERE actor_id IS NOT NULL;
CREATE INDEX issue_events_urged ON issue_events (issue_id) WHERE kind = 'urge';
