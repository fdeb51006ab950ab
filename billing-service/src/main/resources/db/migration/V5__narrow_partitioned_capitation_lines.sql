-- A 1M-person run used to COPY 25 columns per line (11 numeric) into one big indexed table, and a recompute deleted
-- the previous million rows first. Now:
--  * the money of a line (rates, factors, amounts, reason codes) lives once per distinct combination in
--    capitation_price; a line keeps its person's facts and a price_id (a few hundred prices cover a million lines);
--  * each (month, version) is its own partition, written while detached (invisible to readers), indexed once after
--    the load, and attached in the run's transaction: readers see the whole version or none of it; a recompute
--    swaps the partition instead of deleting rows.
ALTER TABLE capitation_line RENAME TO capitation_line_v4;
ALTER INDEX capitation_line_page RENAME TO capitation_line_v4_page;

CREATE TABLE capitation_price (
    month                text NOT NULL,
    version              int NOT NULL,
    price_id             int NOT NULL,
    region               text,
    sex                  text,
    age_band             text,
    base_rate            numeric(12, 2) NOT NULL,
    sex_age_coefficient  numeric(8, 4) NOT NULL,
    regional_coefficient numeric(8, 4) NOT NULL,
    visit_factor         numeric(6, 4) NOT NULL,
    insurance_factor     numeric(6, 4) NOT NULL,
    applied_factor       numeric(6, 4) NOT NULL,
    full_amount          numeric(12, 2) NOT NULL,
    amount               numeric(12, 2) NOT NULL,
    withheld_no_visit    numeric(12, 2) NOT NULL,
    withheld_not_insured numeric(12, 2) NOT NULL,
    withheld_by_fraud    numeric(12, 2) NOT NULL,
    -- reason codes such as 'NO_VISIT_12M,NOT_INSURED'; the sentences are rendered on read
    reasons              text NOT NULL,
    lookback_months      int NOT NULL,
    PRIMARY KEY (month, version, price_id)
);

CREATE TABLE capitation_line (
    month              text NOT NULL,
    version            int NOT NULL,
    -- byte order ("C"): sorting and indexing a million keys skips the locale's collation; keys are digits and ASCII ids
    polyclinic_bin     text COLLATE "C" NOT NULL,
    person_key         text COLLATE "C" NOT NULL,
    price_id           int NOT NULL,
    attached_since     date,
    insured            boolean,
    last_counted_visit date,
    last_flagged_visit date,
    death_date         date
) PARTITION BY RANGE (month, version);
-- paging within a statement; every partition holds one (month, version)
CREATE INDEX capitation_line_page ON capitation_line (polyclinic_bin, person_key);

-- the versions computed before this migration, moved over as they are
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT month, version FROM capitation_run LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF capitation_line FOR VALUES FROM (%L, %s) TO (%L, %s)',
                       format('capitation_line_%s_v%s_x0', replace(r.month, '-', '_'), r.version),
                       r.month, r.version, r.month, r.version + 1);
    END LOOP;
END
$$;

INSERT INTO capitation_price
SELECT month, version,
       (row_number() OVER (PARTITION BY month, version ORDER BY region, sex, age_band, base_rate, sex_age_coefficient,
                           regional_coefficient, visit_factor, insurance_factor, applied_factor, full_amount, amount,
                           withheld_no_visit, withheld_not_insured, withheld_by_fraud, reasons, lookback_months))::int,
       region, sex, age_band, base_rate, sex_age_coefficient, regional_coefficient, visit_factor, insurance_factor,
       applied_factor, full_amount, amount, withheld_no_visit, withheld_not_insured, withheld_by_fraud, reasons, lookback_months
FROM (SELECT DISTINCT month, version, region, sex, age_band, base_rate, sex_age_coefficient, regional_coefficient, visit_factor,
                      insurance_factor, applied_factor, full_amount, amount, withheld_no_visit, withheld_not_insured,
                      withheld_by_fraud, reasons, lookback_months
      FROM capitation_line_v4) d;

INSERT INTO capitation_line
SELECT l.month, l.version, l.polyclinic_bin, l.person_key, p.price_id, l.attached_since, l.insured, l.last_counted_visit,
       l.last_flagged_visit, l.death_date
FROM capitation_line_v4 l
JOIN capitation_price p ON p.month = l.month AND p.version = l.version
     AND p.region IS NOT DISTINCT FROM l.region AND p.sex IS NOT DISTINCT FROM l.sex
     AND p.age_band IS NOT DISTINCT FROM l.age_band AND p.base_rate = l.base_rate
     AND p.sex_age_coefficient = l.sex_age_coefficient AND p.regional_coefficient = l.regional_coefficient
     AND p.visit_factor = l.visit_factor AND p.insurance_factor = l.insurance_factor AND p.applied_factor = l.applied_factor
     AND p.full_amount = l.full_amount AND p.amount = l.amount AND p.withheld_no_visit = l.withheld_no_visit
     AND p.withheld_not_insured = l.withheld_not_insured AND p.withheld_by_fraud = l.withheld_by_fraud
     AND p.reasons = l.reasons AND p.lookback_months = l.lookback_months;

DROP TABLE capitation_line_v4;
