DROP TABLE issue_joins;
