-- The organisation model: the region tree, categories, stations, agencies and accounts.

CREATE TABLE regions (
    code        text PRIMARY KEY CHECK (code ~ '^[0-9]{2,12}$'),
    name        text NOT NULL,
    level       text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
    parent_code text REFERENCES regions (code),
    -- Ancestors' codes and its own, '/33/3302/330281/': a subtree is a prefix match on this column.
    path        text NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX regions_path_prefix ON regions (path text_pattern_ops);
CREATE INDEX regions_parent ON regions (parent_code);

CREATE TABLE categories (
    code        text PRIMARY KEY,
    name        text NOT NULL,
    parent_code text REFERENCES categories (code),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stations (
    id             uuid PRIMARY KEY,
    region_code    text NOT NULL REFERENCES regions (code),
    name           text NOT NULL,
    address        text NOT NULL,
    latitude       double precision,
    longitude      double precision,
    reception_days jsonb NOT NULL DEFAULT '[]',
    enabled        boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (region_code, name),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX stations_region ON stations (region_code);

CREATE TABLE agencies (
    id          uuid PRIMARY KEY,
    region_code text NOT NULL REFERENCES regions (code),
    name        text NOT NULL,
    enabled     boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (region_code, name)
);
CREATE INDEX agencies_region ON agencies (region_code);

CREATE TABLE agency_categories (
    agency_id     uuid NOT NULL REFERENCES agencies (id) ON DELETE CASCADE,
    category_code text NOT NULL REFERENCES categories (code),
    PRIMARY KEY (agency_id, category_code)
);
CREATE INDEX agency_categories_category ON agency_categories (category_code);

CREATE TABLE users (
    id            uuid PRIMARY KEY,
    role          text NOT NULL CHECK (role IN ('admin', 'staff', 'deputy', 'handler', 'citizen')),
    name          text NOT NULL,
    phone         text UNIQUE,
    password_hash text,
    region_code   text REFERENCES regions (code),
    agency_id     uuid REFERENCES agencies (id),
    deputy_level  text CHECK (deputy_level IN ('national', 'provincial', 'city', 'county', 'township')),
    enabled       boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    -- Each role carries exactly the binding it needs (mirrors domain::organisation::user::Binding).
    CONSTRAINT users_binding CHECK (
        (role IN ('admin', 'citizen') AND region_code IS NULL AND agency_id IS NULL AND deputy_level IS NULL)
        OR (role = 'staff' AND region_code IS NOT NULL AND agency_id IS NULL AND deputy_level IS NULL)
        OR (role = 'handler' AND region_code IS NOT NULL AND agency_id IS NOT NULL AND deputy_level IS NULL)
        OR (role = 'deputy' AND region_code IS NOT NULL AND agency_id IS NULL AND deputy_level IS NOT NULL)
    )
);
CREATE INDEX users_region ON users (region_code);
CREATE INDEX users_agency ON users (agency_id);

CREATE TABLE deputy_stations (
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    station_id uuid NOT NULL REFERENCES stations (id),
    PRIMARY KEY (user_id, station_id)
);
CREATE INDEX deputy_stations_station ON deputy_stations (station_id);
