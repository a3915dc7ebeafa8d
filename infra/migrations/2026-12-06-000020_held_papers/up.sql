-- Papers as they arrive: durable the moment they are acknowledged, but not yet among the ballot's papers. The worker
-- moves them in batches of several, in random order, at moments it draws at random, and all of them at the close
-- (app::papers::settle), then vacuums this table: what stays in ballot_papers keeps no per-paper arrival, and no
-- paper's transaction sits next to its deputy's check-in. No id, no time, as in ballot_papers.
CREATE TABLE ballot_papers_held (
    ballot_id    uuid NOT NULL REFERENCES ballots (id),
    token_hash   bytea NOT NULL,
    choices      uuid[] NOT NULL,
    receipt_hash bytea NOT NULL UNIQUE,
    PRIMARY KEY (ballot_id, token_hash)
);
