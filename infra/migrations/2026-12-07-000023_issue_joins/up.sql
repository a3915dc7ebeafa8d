-- 我也遇到: citizens who have the same problem stand behind an open issue instead of reporting it again. They are
-- told of its progress, may rate its reply, and are counted.
CREATE TABLE issue_joins (
    issue_id   uuid NOT NULL REFERENCES issues (id),
    user_id    uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (issue_id, user_id)
);
CREATE INDEX issue_joins_user ON issue_joins (user_id, issue_id DESC);
