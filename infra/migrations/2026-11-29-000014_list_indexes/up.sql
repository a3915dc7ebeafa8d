-- A handler's inbox lists what their agency leads in a few states, newest first (to sign, to reply, urged). With the
-- agency and status alone the list found its 51 rows by walking the issues' primary key backwards and discarding
-- thousands (scripts/bench http, a million issues); with the id in the index it reads the 51 in order.
CREATE INDEX issues_lead_agency_status ON issues (lead_agency_id, status, id DESC) WHERE lead_agency_id IS NOT NULL;
DROP INDEX issues_lead_agency;

-- A list of several open states (to reply: signed or in progress) cannot read the index above in id order across
-- its states; this one holds only the issues an agency is working on, in id order (2,387 buffers → 415 at a million).
CREATE INDEX issues_lead_open ON issues (lead_agency_id, id DESC) WHERE status IN ('routed', 'signed', 'in_progress');

-- Red and yellow filters ask "has an open agency deadline due (or warning) by now": answered from the index alone.
-- The agency + red list went from 70,987 buffers to 2,755 at a million issues.
CREATE INDEX deadlines_open_agency_due ON deadlines (issue_id, due_at) WHERE ended_at IS NULL AND stage <> 'rate';

-- Urged issues (催办) are found by their urge events: without this every event of every issue was read.
CREATE INDEX issue_events_urged ON issue_events (issue_id) WHERE kind = 'urge';
