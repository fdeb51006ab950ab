-- The fraud monitor screened every doctor's day a batch touched by reading the whole day again: a day of k visits
-- arriving in k batches cost k(k+1)/2 row reads (9 visit rows read per visit written on a cold 1M pipeline run, 14 on a
-- warm one, docs/benchmarks/pipeline.md). A day with no doctor-rule flag, under the cap and below a burst is screened
-- from what changed instead (FraudMonitor.screenChanged): it needs the day's two counts, kept here, and the new slots'
-- neighbours in start order (the index below).
--
-- The counts are kept by statement triggers on visit, so that every writer of visit rows (the consumer's upserts, the
-- monitor's near-mark updates, identity repairs, a second instance, a hand-run DELETE) keeps them in step; an UPDATE
-- that changes neither the day nor near_mark (visit.flagged) writes nothing here. The day's row is also what two
-- instances adding visits to the same day wait for each other on: the second screens the day with the first's
-- visits committed.
CREATE TABLE doctor_day (
    doctor_id      text NOT NULL,
    visit_date     date NOT NULL,
    polyclinic_bin text NOT NULL,
    visits         int  NOT NULL,
    near_mark      int  NOT NULL,
    PRIMARY KEY (doctor_id, visit_date, polyclinic_bin)
);

INSERT INTO doctor_day (doctor_id, visit_date, polyclinic_bin, visits, near_mark)
SELECT doctor_id, visit_date, polyclinic_bin, count(*), count(*) FILTER (WHERE near_mark)
FROM visit WHERE doctor_id IS NOT NULL GROUP BY doctor_id, visit_date, polyclinic_bin;

CREATE FUNCTION doctor_day_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- days in key order, so that two writers lock the rows they share in the same order
    IF TG_OP = 'INSERT' THEN
        INSERT INTO doctor_day AS d (doctor_id, visit_date, polyclinic_bin, visits, near_mark)
        SELECT doctor_id, visit_date, polyclinic_bin, count(*), count(*) FILTER (WHERE near_mark)
        FROM new_visits WHERE doctor_id IS NOT NULL
        GROUP BY doctor_id, visit_date, polyclinic_bin ORDER BY 1, 2, 3
        ON CONFLICT (doctor_id, visit_date, polyclinic_bin)
            DO UPDATE SET visits = d.visits + excluded.visits, near_mark = d.near_mark + excluded.near_mark;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO doctor_day AS d (doctor_id, visit_date, polyclinic_bin, visits, near_mark)
        SELECT doctor_id, visit_date, polyclinic_bin, sum(n), sum(m)
        FROM (SELECT doctor_id, visit_date, polyclinic_bin, -1 AS n, -near_mark::int AS m FROM old_visits
              WHERE doctor_id IS NOT NULL
              UNION ALL
              SELECT doctor_id, visit_date, polyclinic_bin, 1, near_mark::int FROM new_visits
              WHERE doctor_id IS NOT NULL) change
        GROUP BY doctor_id, visit_date, polyclinic_bin HAVING sum(n) <> 0 OR sum(m) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (doctor_id, visit_date, polyclinic_bin)
            DO UPDATE SET visits = d.visits + excluded.visits, near_mark = d.near_mark + excluded.near_mark;
    ELSE
        UPDATE doctor_day d SET visits = d.visits - gone.n, near_mark = d.near_mark - gone.m
        FROM (SELECT doctor_id, visit_date, polyclinic_bin, count(*) AS n, count(*) FILTER (WHERE near_mark) AS m
              FROM old_visits WHERE doctor_id IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3) gone
        WHERE d.doctor_id = gone.doctor_id AND d.visit_date = gone.visit_date AND d.polyclinic_bin = gone.polyclinic_bin;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER visit_doctor_day_insert AFTER INSERT ON visit REFERENCING NEW TABLE AS new_visits
    FOR EACH STATEMENT EXECUTE FUNCTION doctor_day_count();
CREATE TRIGGER visit_doctor_day_update AFTER UPDATE ON visit REFERENCING OLD TABLE AS old_visits NEW TABLE AS new_visits
    FOR EACH STATEMENT EXECUTE FUNCTION doctor_day_count();
CREATE TRIGGER visit_doctor_day_delete AFTER DELETE ON visit REFERENCING OLD TABLE AS old_visits
    FOR EACH STATEMENT EXECUTE FUNCTION doctor_day_count();

-- no TRUNCATE trigger: the login role may not truncate, and a TRUNCATE trigger marks a table append-only for the
-- grants (LoginRoleGrants); whoever truncates visit as the owner truncates doctor_day with it

-- a new slot's neighbours: the visit before it in start order and the visits starting while it lasts
DROP INDEX visit_doctor_day;
CREATE INDEX visit_doctor_day ON visit (doctor_id, visit_date, start_at);

-- the days that hold a doctor-rule flag (any bin of a national doctor's day)
CREATE INDEX fraud_flag_doctor_day ON fraud_flag (doctor_id, visit_date);
