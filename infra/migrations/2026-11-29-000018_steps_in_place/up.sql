-- A deadline step rewrites two rows: the deadline's next step and the issue's timeline position (and lateness). No
-- index covers those columns once deadlines_next is gone — nothing reads it: the schedule's rebuild pages deadlines
-- by id — so with room left on each page PostgreSQL updates both rows in place (HOT) instead of adding an entry to
-- every index of both tables for each step. The room is left on pages written from now on.
DROP INDEX deadlines_next;
ALTER TABLE deadlines SET (fillfactor = 80);
ALTER TABLE issues SET (fillfactor = 90);
