-- A person's saved filters (我区红牌, 待我审批): a list screen's filters under a name, theirs wherever they sign in.
CREATE TABLE saved_filters (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    screen     text NOT NULL CHECK (screen IN ('issues', 'deadlines')),
    name       text NOT NULL,
    query      jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, screen, name)
);
