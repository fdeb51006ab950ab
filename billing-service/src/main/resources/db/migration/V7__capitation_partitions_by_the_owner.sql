-- The service logs in with a role that has DML only (ARCHITECTURE.md, trust boundaries); the schema belongs to the
-- owner role that runs these migrations. A capitation run still creates, indexes and swaps in a partition of
-- capitation_line (V5), which takes CREATE on the schema and ownership of capitation_line. These three functions do
-- exactly that DDL as the owner (SECURITY DEFINER), only on partitions of capitation_line named as a run names them,
-- so the login role needs no DDL right of its own. The partition is granted to the caller for its COPY and reads.

CREATE FUNCTION capitation_line_check_name(p_name text, p_month text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
BEGIN
    IF p_month !~ '^[0-9]{4}-[0-9]{2}$' OR p_name !~ ('^capitation_line_' || replace(p_month, '-', '_') || '_v[0-9]+_x[0-9a-z]+$') THEN
        RAISE EXCEPTION 'not a capitation_line partition of %: %', p_month, p_name USING ERRCODE = 'invalid_parameter_value';
    END IF;
END
$$;

-- a detached, empty table of (month, version), month and version as defaults and CHECK (ATTACH then skips its scan)
CREATE FUNCTION capitation_line_create(p_name text, p_month text, p_version int) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    PERFORM capitation_line_check_name(p_name, p_month);
    EXECUTE format('CREATE TABLE %I (LIKE capitation_line, CONSTRAINT %I CHECK (month = %L AND version = %s))',
                   p_name, p_name || '_version', p_month, p_version);
    EXECUTE format('ALTER TABLE %I ALTER COLUMN month SET DEFAULT %L, ALTER COLUMN version SET DEFAULT %s',
                   p_name, p_month, p_version);
    EXECUTE format('GRANT SELECT, INSERT ON %I TO %I', p_name, session_user);
END
$$;

-- tables of the month a crashed run loaded but never attached: invisible, and garbage
CREATE FUNCTION capitation_line_drop_leftovers(p_month text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE t text;
BEGIN
    PERFORM capitation_line_check_name('capitation_line_' || replace(p_month, '-', '_') || '_v0_x0', p_month);
    FOR t IN SELECT c.relname FROM pg_class c
             WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
               AND starts_with(c.relname, 'capitation_line_' || replace(p_month, '-', '_') || '_v')
               AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = c.oid)
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I', t);
    END LOOP;
END
$$;

-- one sorted index build, then the swap: the previous partition of the same (month, version) goes, the new one is
-- attached; visible when the caller's transaction commits
CREATE FUNCTION capitation_line_attach(p_name text, p_month text, p_version int) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
    -- enough memory to sort a million keys in memory (the default 64 MB spills to disk)
    SET maintenance_work_mem = '256MB' AS $$
DECLARE t text;
BEGIN
    PERFORM capitation_line_check_name(p_name, p_month);
    EXECUTE format('CREATE INDEX %I ON %I (polyclinic_bin, person_key)', p_name || '_page', p_name);
    EXECUTE format('ANALYZE %I', p_name);
    FOR t IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'capitation_line'::regclass
               AND starts_with(c.relname, 'capitation_line_' || replace(p_month, '-', '_') || '_v' || p_version || '_x')
    LOOP
        -- only an OPEN version is ever recomputed: a CLOSED one made the version move on
        EXECUTE format('DROP TABLE %I', t);
    END LOOP;
    EXECUTE format('ALTER TABLE capitation_line ATTACH PARTITION %I FOR VALUES FROM (%L, %s) TO (%L, %s)',
                   p_name, p_month, p_version, p_month, p_version + 1);
END
$$;
