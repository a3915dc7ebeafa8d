-- The operator's gauges count dead letters at every scrape: from their own small index, never a scan of every message
-- ever delivered.
CREATE INDEX outbox_dead ON outbox (created_at) WHERE status = 'dead';
