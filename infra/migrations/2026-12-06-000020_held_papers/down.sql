DROP TABLE ballot_papers_held;
