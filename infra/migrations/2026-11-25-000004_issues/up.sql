-- The loop: issues, their photos, the hash-chained timeline, co-signs, extensions, ratings, deadlines, and the rules
-- that route and time them.

-- The letters a region's issue numbers start with (YY-2026-000123); the nearest region up the tree that has one gives it.
ALTER TABLE regions ADD COLUMN issue_prefix text CHECK (issue_prefix ~ '^[A-Z]{1,8}$');

-- A sequence per prefix and year, taken inside the report's transaction (no gaps from rolled-back reports).
CREATE TABLE issue_numbers (
    prefix text NOT NULL,
    year   integer NOT NULL,
    last   bigint NOT NULL,
    PRIMARY KEY (prefix, year)
);

CREATE TABLE issues (
    id                uuid PRIMARY KEY,
    number            text NOT NULL UNIQUE,
    region_code       text NOT NULL REFERENCES regions (code),
    -- The region's path, copied so that a subtree's issues are one prefix scan.
    region_path       text NOT NULL,
    station_id        uuid REFERENCES stations (id),
    -- The deputy a citizen reported to by scanning the deputy's card.
    deputy_id         uuid REFERENCES users (id),
    reporter_id       uuid NOT NULL REFERENCES users (id),
    reporter_role     text NOT NULL CHECK (reporter_role IN ('citizen', 'deputy')),
    anonymous         boolean NOT NULL DEFAULT false,
    title             text,
    description       text NOT NULL,
    category_code     text REFERENCES categories (code),
    latitude          double precision,
    longitude         double precision,
    address           text,
    status            text NOT NULL CHECK (status IN ('submitted', 'accepted', 'declined', 'merged', 'routed', 'signed',
                                                      'in_progress', 'replied', 'reopened', 'closed')),
    -- 分层分类: the level that handles it, decided at triage.
    level             text CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
    complex           boolean NOT NULL DEFAULT false,
    lead_agency_id    uuid REFERENCES agencies (id),
    co_agency_ids     uuid[] NOT NULL DEFAULT '{}',
    round             smallint NOT NULL DEFAULT 1 CHECK (round >= 1),
    reply_category    text CHECK (reply_category IN ('A', 'B', 'C')),
    pending_extension boolean NOT NULL DEFAULT false,
    extension_used    boolean NOT NULL DEFAULT false,
    converted_at      timestamptz,
    merged_into       uuid REFERENCES issues (id),
    -- The reporter's rating of the latest reply.
    rating            text CHECK (rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    -- WeChat's content check asked for a person to look, or could not be reached.
    needs_review      boolean NOT NULL DEFAULT false,
    -- The timeline's length: the next event is last_seq + 1 and chains to event last_seq.
    last_seq          integer NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    closed_at         timestamptz,
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CHECK ((status = 'merged') = (merged_into IS NOT NULL)),
    CHECK (status NOT IN ('routed', 'signed', 'in_progress', 'replied') OR lead_agency_id IS NOT NULL)
);
-- Lists are newest first (ids are UUIDv7, so id order is time order) within each scope.
CREATE INDEX issues_region_path ON issues (region_path text_pattern_ops, id DESC);
CREATE INDEX issues_station ON issues (station_id, id DESC);
CREATE INDEX issues_deputy ON issues (deputy_id, id DESC) WHERE deputy_id IS NOT NULL;
CREATE INDEX issues_reporter ON issues (reporter_id, id DESC);
CREATE INDEX issues_lead_agency ON issues (lead_agency_id, status) WHERE lead_agency_id IS NOT NULL;
CREATE INDEX issues_status ON issues (status, id DESC);
CREATE INDEX issues_category_recent ON issues (category_code, created_at DESC) WHERE status NOT IN ('closed', 'declined', 'merged');
CREATE INDEX issues_merged_into ON issues (merged_into) WHERE merged_into IS NOT NULL;

-- Every agency an issue was ever routed to: its handlers keep reading it after it moves on.
CREATE TABLE issue_agencies (
    issue_id  uuid NOT NULL REFERENCES issues (id),
    agency_id uuid NOT NULL REFERENCES agencies (id),
    routed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (issue_id, agency_id)
);
CREATE INDEX issue_agencies_agency ON issue_agencies (agency_id, issue_id DESC);

-- The record. Rows are only ever inserted; each carries the hash of its content chained to the one before.
CREATE TABLE issue_events (
    issue_id    uuid NOT NULL REFERENCES issues (id),
    seq         integer NOT NULL CHECK (seq >= 1),
    kind        text NOT NULL,
    actor_id    uuid REFERENCES users (id),
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
);
CREATE INDEX issue_events_actor ON issue_events (actor_id) WHERE actor_id IS NOT NULL;

CREATE TABLE photos (
    id           uuid PRIMARY KEY,
    owner_id     uuid NOT NULL REFERENCES users (id),
    issue_id     uuid REFERENCES issues (id),
    -- Of the bytes uploaded: the same photo sent twice by one person is one photo.
    sha256       text NOT NULL,
    content_type text NOT NULL,
    width        integer NOT NULL,
    height       integer NOT NULL,
    size_bytes   integer NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (owner_id, sha256)
);
CREATE INDEX photos_issue ON photos (issue_id) WHERE issue_id IS NOT NULL;

CREATE TABLE cosigns (
    issue_id   uuid NOT NULL REFERENCES issues (id),
    user_id    uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (issue_id, user_id)
);
CREATE INDEX cosigns_user ON cosigns (user_id, issue_id DESC);

CREATE TABLE extensions (
    id           uuid PRIMARY KEY,
    issue_id     uuid NOT NULL REFERENCES issues (id),
    round        smallint NOT NULL,
    agency_id    uuid NOT NULL REFERENCES agencies (id),
    requested_by uuid NOT NULL REFERENCES users (id),
    days         smallint NOT NULL CHECK (days BETWEEN 1 AND 366),
    unit         text NOT NULL CHECK (unit IN ('days', 'working_days')),
    reason       text NOT NULL,
    decision     text CHECK (decision IN ('approved', 'refused', 'withdrawn')),
    decided_by   uuid REFERENCES users (id),
    decided_at   timestamptz,
    decision_note text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (issue_id, round)
);
CREATE INDEX extensions_pending ON extensions (issue_id) WHERE decision IS NULL;

CREATE TABLE ratings (
    id         uuid PRIMARY KEY,
    issue_id   uuid NOT NULL REFERENCES issues (id),
    round      smallint NOT NULL,
    rater_id   uuid NOT NULL REFERENCES users (id),
    rater_role text NOT NULL,
    rating     text NOT NULL CHECK (rating IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    comment    text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (issue_id, round, rater_id)
);
CREATE INDEX ratings_rater ON ratings (rater_id);

-- Every deadline a stage ever had. Open ones (ended_at IS NULL) are what issue 5's tracking schedules.
CREATE TABLE deadlines (
    id         uuid PRIMARY KEY,
    issue_id   uuid NOT NULL REFERENCES issues (id),
    stage      text NOT NULL CHECK (stage IN ('sign', 'reply', 'rereply', 'suggestion', 'rate')),
    round      smallint NOT NULL,
    agency_id  uuid REFERENCES agencies (id),
    started_at timestamptz NOT NULL,
    due_at     timestamptz NOT NULL,
    ended_at   timestamptz,
    -- 'met', 'cancelled' (the issue moved on another way), 'lapsed' (an unrated reply closed).
    outcome    text CHECK (outcome IN ('met', 'cancelled', 'lapsed'))
);
CREATE INDEX deadlines_open_due ON deadlines (due_at) WHERE ended_at IS NULL;
CREATE INDEX deadlines_issue ON deadlines (issue_id);
CREATE UNIQUE INDEX deadlines_one_open_per_stage ON deadlines (issue_id, stage) WHERE ended_at IS NULL;

-- Category × region → the agency that usually handles it. The nearest region up the tree with a rule wins.
CREATE TABLE routing_rules (
    id             uuid PRIMARY KEY,
    region_code    text NOT NULL REFERENCES regions (code),
    category_code  text NOT NULL REFERENCES categories (code),
    lead_agency_id uuid NOT NULL REFERENCES agencies (id),
    co_agency_ids  uuid[] NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (region_code, category_code)
);

-- How long each stage may take, for a category and/or a region (both empty: the service default).
-- The most specific policy wins: category before region, deeper region before shallower.
CREATE TABLE deadline_policies (
    id            uuid PRIMARY KEY,
    region_code   text REFERENCES regions (code),
    category_code text REFERENCES categories (code),
    -- domain::issue::deadline::DeadlinePolicy as JSON.
    policy        jsonb NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (region_code, category_code)
);

-- Statutory holidays and make-up workdays (调休); weekends rest unless listed as workdays.
CREATE TABLE calendar_days (
    day  date PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name text
);
