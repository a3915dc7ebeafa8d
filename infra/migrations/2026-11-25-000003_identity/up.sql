-- Identity: citizens from WeChat, scenes that QR codes carry, sessions with rotating refresh tokens.

-- What a QR code's `scene` points to: a station or a deputy. The code is random (never a sequential id), at most
-- 32 characters as WeChat's mini-program codes allow.
CREATE TABLE scenes (
    code       text PRIMARY KEY CHECK (code ~ '^[a-z0-9]{1,32}$'),
    station_id uuid UNIQUE REFERENCES stations (id),
    deputy_id  uuid UNIQUE REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((station_id IS NULL) <> (deputy_id IS NULL))
);

-- A citizen is known by their mini-program openid (and unionid when the app is bound to an open platform account).
-- Erasing an account clears both, so the same WeChat user signing in again becomes a new citizen.
ALTER TABLE users
    ADD COLUMN openid     text UNIQUE,
    ADD COLUMN unionid    text,
    -- The scene a citizen last arrived through: their next reports go to that station or deputy.
    ADD COLUMN scene_code text REFERENCES scenes (code),
    ADD COLUMN scene_at   timestamptz,
    ADD COLUMN erased_at  timestamptz,
    ADD CONSTRAINT users_openid_citizen CHECK (openid IS NULL OR role = 'citizen'),
    ADD CONSTRAINT users_erased_clean CHECK (erased_at IS NULL OR (openid IS NULL AND unionid IS NULL AND phone IS NULL AND password_hash IS NULL AND NOT enabled));

-- One sign-in on one device: every refresh token it is given belongs to it (the token family). Revoking a session
-- ends its access tokens at once (they carry its id) and its refresh tokens.
CREATE TABLE sessions (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- How it began: 'password' or 'wechat'.
    method       text NOT NULL CHECK (method IN ('password', 'wechat')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    refreshed_at timestamptz,
    revoked_at   timestamptz,
    -- Why: 'logout', 'reuse', 'erased', 'disabled'.
    revoked_why  text
);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;

-- Refresh tokens are opaque; only their SHA-256 is kept. Each is used once: using it marks it and issues the next.
CREATE TABLE refresh_tokens (
    hash       bytea PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
