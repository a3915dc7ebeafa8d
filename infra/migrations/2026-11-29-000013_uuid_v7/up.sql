-- Time-ordered ids (UUID version 7, RFC 9562) made by PostgreSQL, for rows a statement adds for recipients it finds
-- itself (everyone an agency's notice reaches), where the service cannot make the ids beforehand. A random v4 id with
-- its first 48 bits replaced by the Unix time in milliseconds and its version set to 7; the same layout the service's
-- own ids (uuid's now_v7) have, so both sort by time together.
CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
    SELECT encode(
        set_bit(
            set_bit(
                overlay(uuid_send(gen_random_uuid())
                        PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                        FROM 1 FOR 6),
                52, 1),
            53, 1),
        'hex')::uuid
$$;
