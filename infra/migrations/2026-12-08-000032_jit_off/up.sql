-- JIT compilation off for every session on this database, however it connects: a pooler in transaction mode
-- (PgBouncer) hands a client whichever server connection is free, so a setting made on the client's own session would
-- not hold. PostgreSQL starts JIT for any query it costs above jit_above_cost, and on the list queries over a million
-- issues it took longer than the query itself (100–400 ms, scripts/bench http). The service still sets it per
-- session for databases this could not reach (a migration role that does not own the database).
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'not the owner of the database: set jit = off on the service''s role (ALTER ROLE … SET jit = off)';
END
$$;
