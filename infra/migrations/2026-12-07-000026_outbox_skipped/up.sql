-- A WeChat message that could not be sent is written all the same, as `skipped` with why in last_error
-- (`not_configured`, `no_wechat_account`, `not_subscribed`), so that admins see every notice and what became of it.
-- The worker only ever claims `pending` rows.
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'sent', 'refused', 'dead', 'skipped'));
