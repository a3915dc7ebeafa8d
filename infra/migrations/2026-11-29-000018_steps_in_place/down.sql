ALTER TABLE issues RESET (fillfactor);
ALTER TABLE deadlines RESET (fillfactor);
CREATE INDEX deadlines_next ON deadlines (next_at) WHERE ended_at IS NULL AND next_at IS NOT NULL;
