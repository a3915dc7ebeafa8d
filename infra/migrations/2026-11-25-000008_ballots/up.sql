-- 民生实事项目代表票决制: a ballot of candidate livelihood projects, the deputies entitled to vote, and their papers.
--
-- Secrecy (无记名). The roster says who received a voting token; the papers say what was chosen. A deputy checks in
-- with a blinded token, which the ballot's key signs (RFC 9474 blind RSA): the service never sees the token itself.
-- The paper comes later, in another request that carries no account, with the unblinded token and its signature, and
-- is written in its own transaction. Nothing in a paper names a voter or orders it against one: no id, no time, no
-- sequence. Closing rewrites every paper of the ballot in one transaction, in receipt order, so afterwards neither
-- xmin nor ctid keeps the order they were cast in.
CREATE TABLE ballots (
    id            uuid PRIMARY KEY,
    region_code   text NOT NULL REFERENCES regions (code),
    title         text NOT NULL,
    -- The congress session that holds it, e.g. 兰州市第十七届人民代表大会第四次会议.
    session       text NOT NULL,
    seats         integer NOT NULL CHECK (seats > 0),
    -- A project is elected only with more than threshold_num/threshold_den of the papers cast (domain::ballot).
    threshold_num integer NOT NULL CHECK (threshold_num >= 0),
    threshold_den integer NOT NULL CHECK (threshold_den > 0 AND threshold_num < threshold_den),
    opens_at      timestamptz NOT NULL,
    closes_at     timestamptz NOT NULL CHECK (closes_at > opens_at),
    -- The public half is published for clients to blind their tokens with; the private half never leaves the service.
    public_key    text NOT NULL,
    signing_key   bytea NOT NULL,
    roster_size   integer NOT NULL CHECK (roster_size > 0),
    created_by    uuid NOT NULL REFERENCES users (id),
    created_at    timestamptz NOT NULL,
    -- Set once, by the tally.
    closed_at     timestamptz,
    cast_papers   integer,
    open_seats    integer,
    CHECK ((closed_at IS NULL) = (cast_papers IS NULL) AND (closed_at IS NULL) = (open_seats IS NULL))
);
CREATE INDEX ballots_region ON ballots (region_code);

CREATE TABLE ballot_roster (
    ballot_id    uuid NOT NULL REFERENCES ballots (id),
    deputy_id    uuid NOT NULL REFERENCES users (id),
    -- SHA-256 of the blinded token signed at check-in. A retry with the same one is signed again (the answer was
    -- lost); another is refused. Blinding makes it independent of the token the paper will carry.
    blinded_hash bytea,
    PRIMARY KEY (ballot_id, deputy_id)
);
CREATE INDEX ballot_roster_deputy ON ballot_roster (deputy_id);

CREATE TABLE ballot_papers (
    ballot_id    uuid NOT NULL REFERENCES ballots (id),
    -- SHA-256 of the spent token: each token casts one paper.
    token_hash   bytea NOT NULL,
    choices      uuid[] NOT NULL,
    -- SHA-256 of the receipt code, with which the voter can see their paper was counted.
    receipt_hash bytea NOT NULL UNIQUE,
    PRIMARY KEY (ballot_id, token_hash)
);

-- Livelihood projects: the candidates of a ballot; the elected ones are then supervised.
CREATE TABLE projects (
    id           uuid PRIMARY KEY,
    ballot_id    uuid NOT NULL REFERENCES ballots (id),
    position     integer NOT NULL,
    title        text NOT NULL,
    summary      text NOT NULL,
    -- The responsible agency: it reports progress and is reminded of its milestones.
    agency_id    uuid NOT NULL REFERENCES agencies (id),
    budget_yuan  bigint NOT NULL CHECK (budget_yuan >= 0),
    -- Set by the tally.
    votes        integer,
    outcome      text CHECK (outcome IN ('elected', 'not_elected', 'runoff')),
    elected_rank integer,
    UNIQUE (ballot_id, position)
);
CREATE INDEX projects_agency ON projects (agency_id) WHERE outcome = 'elected';

-- A project's planned milestones. Once the project is elected each is a deadline like an issue's (migration 000005):
-- due at the end of its planned day, yellow from warn_at, and next_step/next_at say what the worker does next.
CREATE TABLE milestones (
    id         uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id),
    position   integer NOT NULL,
    title      text NOT NULL,
    planned_on date NOT NULL,
    started_at timestamptz,
    due_at     timestamptz,
    warn_at    timestamptz,
    next_step  text CHECK (next_step IN ('warn', 'due', 'escalate')),
    next_at    timestamptz,
    done_at    timestamptz,
    UNIQUE (project_id, position),
    CHECK ((next_step IS NULL) = (next_at IS NULL))
);
CREATE INDEX milestones_next ON milestones (next_at) WHERE done_at IS NULL AND next_at IS NOT NULL;
