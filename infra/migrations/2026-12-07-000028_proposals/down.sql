DROP TABLE proposal_supports;
DROP TABLE proposals;
DROP TABLE proposal_rounds;
