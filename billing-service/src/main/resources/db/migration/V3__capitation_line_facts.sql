-- Lines keep reason codes and the facts behind them instead of sentences: the explanation is rendered on read,
-- which keeps the 1M-line COPY small. reasons now holds codes such as 'NO_VISIT_12M,NOT_INSURED'.
ALTER TABLE capitation_line
    ADD COLUMN attached_since     date,
    ADD COLUMN insured            boolean,
    ADD COLUMN last_counted_visit date,
    ADD COLUMN last_flagged_visit date,
    ADD COLUMN death_date         date,
    ADD COLUMN lookback_months    int NOT NULL DEFAULT 12;
