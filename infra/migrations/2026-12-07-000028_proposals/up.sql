-- 点单: a region's call for livelihood-project proposals for a year (征集), the proposals citizens and deputies make
-- while it is open, and who supports (附议) which.
CREATE TABLE proposal_rounds (
    id          uuid PRIMARY KEY,
    region_code text NOT NULL REFERENCES regions (code),
    year        integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    title       text NOT NULL,
    ask         text NOT NULL,
    opens_at    timestamptz NOT NULL,
    closes_at   timestamptz NOT NULL CHECK (closes_at > opens_at),
    created_by  uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL
);
CREATE INDEX proposal_rounds_region ON proposal_rounds (region_code, opens_at DESC);

CREATE TABLE proposals (
    id            uuid PRIMARY KEY,
    round_id      uuid NOT NULL REFERENCES proposal_rounds (id),
    author_id     uuid NOT NULL REFERENCES users (id),
    author_role   text NOT NULL CHECK (author_role IN ('citizen', 'deputy')),
    title         text NOT NULL,
    body          text NOT NULL,
    reason        text NOT NULL,
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged', 'candidate', 'not_taken')),
    -- A merged proposal's supporters count toward the one it was folded into.
    merged_into   uuid REFERENCES proposals (id),
    -- The candidate project a ballot took it up as.
    project_id    uuid REFERENCES projects (id),
    decision_note text,
    decided_at    timestamptz,
    supporters    integer NOT NULL DEFAULT 0 CHECK (supporters >= 0),
    -- WeChat's content check asked a person to look: hidden from the public until staff publish or decide it.
    needs_review  boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL,
    CHECK ((status = 'merged') = (merged_into IS NOT NULL)),
    CHECK ((status = 'candidate') = (project_id IS NOT NULL))
);
CREATE INDEX proposals_round ON proposals (round_id, supporters DESC, id);
CREATE INDEX proposals_author ON proposals (author_id);
CREATE INDEX proposals_project ON proposals (project_id) WHERE project_id IS NOT NULL;

-- One support a person and proposal; the proposal's `supporters` counts them.
CREATE TABLE proposal_supports (
    proposal_id uuid NOT NULL REFERENCES proposals (id),
    user_id     uuid NOT NULL REFERENCES users (id),
    at          timestamptz NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX proposal_supports_user ON proposal_supports (user_id);
