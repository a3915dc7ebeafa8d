ALTER TABLE issue_events RENAME TO issue_events_partitioned;
ALTER TABLE issue_events_partitioned RENAME CONSTRAINT issue_events_pkey TO issue_events_partitioned_pkey;
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
    data        text NOT NULL DEFAULT '{}',
    at          timestamptz NOT NULL,
    prev_hash   bytea NOT NULL,
    hash        bytea NOT NULL,
    PRIMARY KEY (issue_id, seq)
);
INSERT INTO issue_events SELECT * FROM issue_events_partitioned;
DROP TABLE issue_events_partitioned;
CREATE INDEX issue_events_actor ON issue_events (actor_id) WHERE actor_id IS NOT NULL;
CREATE INDEX issue_events_urged ON issue_events (issue_id) WHERE kind = 'urge';
DROP FUNCTION issue_events_cover(timestamptz, timestamptz);
DROP FUNCTION uuid_v7_floor(timestamptz);
