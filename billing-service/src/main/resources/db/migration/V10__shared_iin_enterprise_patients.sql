-- One IIN, more than one enterprise patient: the patient index keeps records apart that carry the same IIN with
-- clearly different demographics (an IIN_CONFLICT review, open or rejected). Billing keys persons by IIN, and the
-- person row merges every record's demographics field by field, so under such an IIN it mixes two people (a name from
-- one, a patronymic, sex or birth date from the other). The rule (billing-service README, "One IIN, several enterprise
-- patients"): such a person's demographics are the golden record of the enterprise patient the attachment's source
-- record is linked to, taken whole, never the person row; and the IIN is shown as identityInReview.

-- the golden record of each enterprise patient as the patient index last published it on mpi.links.v1
CREATE TABLE enterprise_person (
    enterprise_id text PRIMARY KEY,
    person_key    text NOT NULL,
    sex           text,
    birth_date    date,
    last_name     text,
    first_name    text,
    middle_name   text,
    phone         text,
    address       text,
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- person keys whose linked source records belong to more than one enterprise patient (kept by the MPI link batches)
CREATE TABLE shared_iin (
    person_key  text PRIMARY KEY,
    since       timestamptz NOT NULL DEFAULT now()
);

-- the enterprise patients of a person key, read for the person keys a link batch touched
CREATE INDEX source_link_person ON source_link (person_key, enterprise_id);

-- What billing shows of the person an attachment belongs to: the person row, or, under a shared IIN, the golden record
-- of the attachment's own enterprise patient (nothing while its source is not linked yet: better no name than the
-- other person's). The one place of the rule for outreach lists and capitation runs; death_date stays the person's.
-- The golden records are joined through the (few) shared IINs first, so a run over every attachment hashes a small set.
CREATE VIEW attached_person AS
SELECT a.rec_key, a.person_key, a.source_key, a.polyclinic_bin, a.region, a.from_date, a.to_date, a.effective_to,
       s.person_key IS NOT NULL AS identity_in_review,
       CASE WHEN s.person_key IS NULL THEN p.sex ELSE e.sex END AS sex,
       CASE WHEN s.person_key IS NULL THEN p.birth_date ELSE e.birth_date END AS birth_date,
       CASE WHEN s.person_key IS NULL THEN p.last_name ELSE e.last_name END AS last_name,
       CASE WHEN s.person_key IS NULL THEN p.first_name ELSE e.first_name END AS first_name,
       CASE WHEN s.person_key IS NULL THEN p.middle_name ELSE e.middle_name END AS middle_name,
       CASE WHEN s.person_key IS NULL THEN p.phone ELSE e.phone END AS phone,
       CASE WHEN s.person_key IS NULL THEN p.address ELSE e.address END AS address,
       p.death_date,
       p.person_key IS NOT NULL AS has_person
FROM attachment a
LEFT JOIN person p ON p.person_key = a.person_key
LEFT JOIN shared_iin s ON s.person_key = a.person_key
LEFT JOIN (SELECT l.source_key, ep.sex, ep.birth_date, ep.last_name, ep.first_name, ep.middle_name, ep.phone, ep.address
           FROM shared_iin si
           JOIN source_link l ON l.person_key = si.person_key
           JOIN enterprise_person ep ON ep.enterprise_id = l.enterprise_id) e ON e.source_key = a.source_key;

-- a statement line says whether its IIN was shared by several enterprise patients when the run priced it
ALTER TABLE capitation_line ADD COLUMN identity_in_review boolean NOT NULL DEFAULT false;
