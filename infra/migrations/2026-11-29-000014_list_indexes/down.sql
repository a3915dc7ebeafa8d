DROP INDEX issue_events_urged;
CREATE INDEX issues_lead_agency ON issues (lead_agency_id, status) WHERE lead_agency_id IS NOT NULL;
DROP INDEX issues_lead_agency_status;
