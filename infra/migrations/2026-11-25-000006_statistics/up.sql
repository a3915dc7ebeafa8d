-- 评 Evaluate and publish: the facts statistics count, kept on each issue as the loop passes them, so that a period's
-- figures are one scan of the issues it reported; and what staff withhold from the public results.

ALTER TABLE issues
    -- The first time the loop passed each point (a reopened issue keeps its first).
    ADD COLUMN accepted_at  timestamptz,
    ADD COLUMN routed_at    timestamptz,
    ADD COLUMN signed_at    timestamptz,
    ADD COLUMN replied_at   timestamptz,
    -- Working days from the first routing to the first signing and the first reply (domain::stats::working_days).
    ADD COLUMN sign_days    real CHECK (sign_days >= 0),
    ADD COLUMN reply_days   real CHECK (reply_days >= 0),
    -- The first reply came on the day of the report (Asia/Shanghai): 当场 when it solved the issue.
    ADD COLUMN replied_same_day boolean NOT NULL DEFAULT false,
    -- NULL until a reply is given or a deadline missed; true once a sign or reply deadline passed unmet or was met late.
    ADD COLUMN reply_late   boolean;

-- Issues staff keep out of the public results (结果网上评), with the reason they gave.
CREATE TABLE withholdings (
    issue_id    uuid PRIMARY KEY REFERENCES issues (id),
    reason      text NOT NULL,
    withheld_by uuid NOT NULL REFERENCES users (id),
    withheld_at timestamptz NOT NULL
);

-- What the timeline already says about issues reported before this migration.
UPDATE issues i SET
    accepted_at = (SELECT min(at) FROM issue_events e WHERE e.issue_id = i.id AND e.kind = 'accept'),
    routed_at   = (SELECT min(at) FROM issue_events e WHERE e.issue_id = i.id AND e.kind = 'route'),
    signed_at   = (SELECT min(at) FROM issue_events e WHERE e.issue_id = i.id AND e.kind = 'sign'),
    replied_at  = (SELECT min(at) FROM issue_events e WHERE e.issue_id = i.id AND e.kind = 'reply');
UPDATE issues SET replied_same_day = true
 WHERE replied_at IS NOT NULL
   AND (replied_at AT TIME ZONE 'Asia/Shanghai')::date = (created_at AT TIME ZONE 'Asia/Shanghai')::date;
UPDATE issues i SET reply_late = EXISTS (
        SELECT 1 FROM deadlines d
         WHERE d.issue_id = i.id AND d.stage IN ('sign', 'reply', 'rereply')
           AND coalesce(d.ended_at, now()) > d.due_at)
 WHERE replied_at IS NOT NULL
    OR EXISTS (SELECT 1 FROM deadlines d
                WHERE d.issue_id = i.id AND d.stage IN ('sign', 'reply', 'rereply') AND d.due_at < now()
                  AND d.ended_at IS NULL);

-- A period's issues in a subtree: statistics and bulletins scan this range and read the facts above.
CREATE INDEX issues_region_reported ON issues (region_path text_pattern_ops, created_at);
CREATE INDEX issues_reported ON issues (created_at);
-- The public results, newest first.
CREATE INDEX issues_public ON issues (region_path text_pattern_ops, id DESC)
    WHERE status IN ('replied', 'closed') AND NOT needs_review;
