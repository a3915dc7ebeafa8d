-- A handler's inbox lists what their agency leads in a few states, newest first (to sign, to reply, urged). With the
-- agency and status alone the list found its 51 rows by walking the issues' primary key backwards and discarding
-- thousands (scripts/bench http, a million issues); with the id in the index it reads the 51 in order.
CREATE INDEX issues_lead_agency_status ON issues (lead_agency_id, status, id DESC) WHERE lead_agency_id IS NOT NULL;
DROP INDEX issues_lead_agency;

-- Urged issues (催办) are found by their urge events: without this every event of every issue was read.
CREATE INDEX issue_events_urged ON issue_events (issue_id) WHERE kind = 'urge';
