DROP TABLE milestones;
DROP TABLE projects;
DROP TABLE ballot_papers;
DROP TABLE ballot_roster;
DROP TABLE ballots;
