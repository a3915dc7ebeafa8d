DROP TABLE outbox, wechat_subscriptions, webhooks, notifications, calendar_years, key_supervisions;
ALTER TABLE agencies DROP COLUMN contact_id;
DROP INDEX deadlines_next, deadlines_open_agency;
ALTER TABLE deadlines DROP CONSTRAINT deadlines_next_both;
ALTER TABLE deadlines DROP COLUMN warn_at, DROP COLUMN next_step, DROP COLUMN next_at;
