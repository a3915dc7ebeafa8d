-- The first answer to each create command sent with an Idempotency-Key, so that a retry gets the same answer.
CREATE TABLE idempotency_keys (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key          text NOT NULL,
    -- SHA-256 of method, path and body: the same key with another request is refused.
    request_hash text NOT NULL,
    -- NULL while the first request is still being answered.
    status       smallint,
    content_type text,
    location     text,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
