-- 督 supervise: when each open deadline turns yellow and what the worker does next, key supervision, the calendar's
-- years, notifications with their outbox, WeChat subscriptions and agency webhooks.

-- The moment a deadline turns yellow is fixed when it opens or moves (domain::issue::warning::warn_at), so every
-- reader colours it the same way. next_step/next_at say what the worker does next; the Redis schedule is rebuilt
-- from them.
ALTER TABLE deadlines
    ADD COLUMN warn_at   timestamptz,
    ADD COLUMN next_step text CHECK (next_step IN ('warn', 'due', 'escalate')),
    ADD COLUMN next_at   timestamptz;
UPDATE deadlines SET warn_at = started_at + (due_at - started_at) * 2 / 3;
UPDATE deadlines SET next_step = CASE WHEN stage = 'rate' THEN 'due' ELSE 'warn' END,
                     next_at   = CASE WHEN stage = 'rate' THEN due_at ELSE warn_at END
    WHERE ended_at IS NULL;
ALTER TABLE deadlines ALTER COLUMN warn_at SET NOT NULL;
ALTER TABLE deadlines ADD CONSTRAINT deadlines_next_both CHECK ((next_step IS NULL) = (next_at IS NULL));
CREATE INDEX deadlines_next ON deadlines (next_at) WHERE ended_at IS NULL AND next_at IS NOT NULL;
CREATE INDEX deadlines_open_agency ON deadlines (agency_id) WHERE ended_at IS NULL;

-- The agency's contact for supervision (督办联系人): one of its handlers, told when its deadlines are overdue.
ALTER TABLE agencies ADD COLUMN contact_id uuid REFERENCES users (id);

-- 挂牌督办: one row while an issue is under key supervision.
CREATE TABLE key_supervisions (
    issue_id   uuid PRIMARY KEY REFERENCES issues (id),
    marked_by  uuid NOT NULL REFERENCES users (id),
    marked_at  timestamptz NOT NULL
);

-- Which years of calendar_days are loaded, and from where: the shipped data fills a year only when it is absent,
-- so an admin's replacement is never overwritten by a restart.
CREATE TABLE calendar_years (
    year       integer PRIMARY KEY,
    source     text NOT NULL CHECK (source IN ('shipped', 'admin')),
    updated_by uuid REFERENCES users (id),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- In-app notifications. event_key names what happened (an issue event, a deadline step): one per person per event.
CREATE TABLE notifications (
    id         uuid PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id),
    issue_id   uuid REFERENCES issues (id),
    kind       text NOT NULL,
    event_key  text NOT NULL,
    title      text NOT NULL,
    body       text NOT NULL,
    created_at timestamptz NOT NULL,
    read_at    timestamptz,
    UNIQUE (user_id, event_key)
);
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC);

-- Agency systems that want to hear about their issues: each delivery is signed with the secret.
CREATE TABLE webhooks (
    id         uuid PRIMARY KEY,
    agency_id  uuid NOT NULL REFERENCES agencies (id),
    url        text NOT NULL,
    secret     text NOT NULL,
    enabled    boolean NOT NULL DEFAULT true,
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhooks_agency ON webhooks (agency_id) WHERE enabled;

-- A citizen's answer to wx.requestSubscribeMessage: each "accept" allows one message with that template.
CREATE TABLE wechat_subscriptions (
    user_id     uuid NOT NULL REFERENCES users (id),
    template_id text NOT NULL,
    credits     integer NOT NULL DEFAULT 0 CHECK (credits >= 0),
    -- Set when WeChat answered 43101 (the citizen refused) or the citizen rejected: nothing more is sent.
    refused_at  timestamptz,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (user_id, template_id)
);

-- The transactional outbox: written in the transaction of the change it announces, delivered by the worker.
-- One row per channel, recipient and event; a row is delivered at most once it is marked sent.
CREATE TABLE outbox (
    id              uuid PRIMARY KEY,
    channel         text NOT NULL CHECK (channel IN ('wechat', 'webhook')),
    user_id         uuid REFERENCES users (id),
    webhook_id      uuid REFERENCES webhooks (id),
    issue_id        uuid REFERENCES issues (id),
    kind            text NOT NULL,
    event_key       text NOT NULL,
    payload         jsonb NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'refused', 'dead')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    locked_until    timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz,
    CHECK ((channel = 'wechat') = (user_id IS NOT NULL AND webhook_id IS NULL)),
    UNIQUE NULLS NOT DISTINCT (channel, user_id, webhook_id, event_key)
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at) WHERE status = 'pending';
