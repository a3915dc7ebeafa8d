DROP INDEX issue_events_urged;
DROP INDEX deadlines_open_agency_due;
DROP INDEX issues_lead_open;
CREATE INDEX issues_lead_agency ON issues (lead_agency_id, status) WHERE lead_agency_id IS NOT NULL;
DROP INDEX issues_lead_agency_status;
