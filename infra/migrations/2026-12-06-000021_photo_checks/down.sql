ALTER TABLE photos DROP COLUMN check_verdict, DROP COLUMN check_trace_id;
