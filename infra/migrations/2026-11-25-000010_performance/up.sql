-- 记工分 and 三维联评: deputies' performance, and what it is counted from that the platform did not record before —
-- reception days held at stations and the voters each deputy keeps in touch with (每名代表联系选民).
--
-- Points are never stored: GET /deputies/{id}/performance counts them from the records (issues, events, ratings,
-- ballot rosters, project inspections, reception days) under the region's scheme, plus the entries staff make for what
-- happened offline, so a changed scheme or a corrected record is reflected at once.

CREATE TABLE reception_days (
    id          uuid PRIMARY KEY,
    station_id  uuid NOT NULL REFERENCES stations (id),
    held_on     date NOT NULL,
    -- What was discussed, e.g. the suggested topics taken up.
    topics      text NOT NULL,
    visitors    integer NOT NULL CHECK (visitors >= 0),
    recorded_by uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    -- A station holds one reception day a date: recording it again is a correction, not a second day.
    UNIQUE (station_id, held_on)
);

CREATE TABLE reception_day_deputies (
    reception_day_id uuid NOT NULL REFERENCES reception_days (id),
    deputy_id        uuid NOT NULL REFERENCES users (id),
    PRIMARY KEY (reception_day_id, deputy_id)
);
CREATE INDEX reception_day_deputies_deputy ON reception_day_deputies (deputy_id);

-- The citizens a deputy keeps in touch with: they follow the deputy from the deputy's QR code.
CREATE TABLE deputy_voters (
    deputy_id uuid NOT NULL REFERENCES users (id),
    voter_id  uuid NOT NULL REFERENCES users (id),
    since     timestamptz NOT NULL,
    PRIMARY KEY (deputy_id, voter_id)
);
CREATE INDEX deputy_voters_voter ON deputy_voters (voter_id);

-- A region's scheme (domain::performance::Scheme as JSON). The nearest region up the tree with one applies; with
-- none, the seed's 3 aspects, 11 items, 100 points.
CREATE TABLE performance_schemes (
    region_code text PRIMARY KEY REFERENCES regions (code),
    scheme      jsonb NOT NULL,
    updated_by  uuid NOT NULL REFERENCES users (id),
    updated_at  timestamptz NOT NULL
);

-- Points staff enter for what happened offline (attending the congress, training, one's own work), each with its
-- source. Negative points are deductions.
CREATE TABLE performance_entries (
    id          uuid PRIMARY KEY,
    deputy_id   uuid NOT NULL REFERENCES users (id),
    year        integer NOT NULL,
    item        text NOT NULL,
    points      integer NOT NULL CHECK (points BETWEEN -100 AND 100 AND points <> 0),
    source      text NOT NULL,
    occurred_on date NOT NULL,
    entered_by  uuid NOT NULL REFERENCES users (id),
    entered_at  timestamptz NOT NULL
);
CREATE INDEX performance_entries_deputy ON performance_entries (deputy_id, year);

-- 三维联评: the deputy's self-review and the group's assessment (by staff), each 0–100 a year; writing again replaces.
CREATE TABLE performance_reviews (
    deputy_id uuid NOT NULL REFERENCES users (id),
    year      integer NOT NULL,
    kind      text NOT NULL CHECK (kind IN ('self', 'group')),
    score     smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
    comment   text NOT NULL,
    author_id uuid NOT NULL REFERENCES users (id),
    at        timestamptz NOT NULL,
    PRIMARY KEY (deputy_id, year, kind)
);

-- The voters' side of 三维联评: each voter following the deputy rates them 1–5 stars a year.
CREATE TABLE voter_ratings (
    deputy_id uuid NOT NULL REFERENCES users (id),
    year      integer NOT NULL,
    voter_id  uuid NOT NULL REFERENCES users (id),
    stars     smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
    rated_at  timestamptz NOT NULL,
    PRIMARY KEY (deputy_id, year, voter_id)
);
CREATE INDEX voter_ratings_voter ON voter_ratings (voter_id);
