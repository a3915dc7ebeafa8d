DROP TABLE calendar_days, deadline_policies, routing_rules, deadlines, ratings, extensions, cosigns, photos,
    issue_events, issue_agencies, issues, issue_numbers;
ALTER TABLE regions DROP COLUMN issue_prefix;
