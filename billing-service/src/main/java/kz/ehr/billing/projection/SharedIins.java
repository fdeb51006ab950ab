package kz.ehr.billing.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;

/**
 * One IIN under several enterprise patients (V10). The patient index keeps records apart that carry one IIN with
 * clearly different demographics (an IIN_CONFLICT review, open or rejected), while billing keys persons by IIN: the
 * person row then merges two people field by field. Billing never shows or prices such a person from that row: the
 * view {@code attached_person} takes the demographics of an attachment under a shared IIN whole from the golden record
 * of the enterprise patient the attachment's source record is linked to (the patient index's own record of that one
 * person), and flags the IIN {@code identityInReview}. This class keeps what the view reads, from the MPI link
 * batches only (never per health record): each enterprise patient's latest golden record, and which person keys are
 * shared right now.
 * Plain JDBC on the projection's transaction: set-based upserts per link batch, measured within BillingStreamBench (its mpi.links.v1 events).
 */
final class SharedIins {
    /** The golden record of one enterprise patient and the person key billing files it under. */
    record Golden(String personKey, BillingProjection.Demographics demographics) {
    }

    private SharedIins() {
    }

    /**
     * Stores the batch's golden records whole (a newer event replaces every field: never a merge) and re-decides, for
     * the person keys the batch touched and those shared until now, whether their linked sources belong to more than
     * one enterprise patient. Two statements per link batch.
     */
    static void apply(Connection c, Map<String, Golden> byEnterprise, Collection<String> personKeys) throws SQLException {
        if (!byEnterprise.isEmpty()) {
            int n = byEnterprise.size();
            String[] ids = new String[n], keys = new String[n], sex = new String[n], birth = new String[n], last = new String[n],
                    first = new String[n], middle = new String[n], phone = new String[n], address = new String[n];
            int i = 0;
            for (var e : byEnterprise.entrySet()) {
                BillingProjection.Demographics d = e.getValue().demographics();
                ids[i] = e.getKey();
                keys[i] = e.getValue().personKey();
                sex[i] = d.sex();
                birth[i] = d.birthDate() == null ? null : d.birthDate().toString();
                last[i] = d.lastName();
                first[i] = d.firstName();
                middle[i] = d.middleName();
                phone[i] = d.phone();
                address[i] = d.address();
                i++;
            }
            // one statement over column arrays, as the links themselves; an unchanged golden record is not rewritten
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO enterprise_person (enterprise_id, person_key, sex, birth_date, last_name, first_name, middle_name, phone, address)
                    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::date[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                    ON CONFLICT (enterprise_id) DO UPDATE SET person_key = excluded.person_key, sex = excluded.sex,
                      birth_date = excluded.birth_date, last_name = excluded.last_name, first_name = excluded.first_name,
                      middle_name = excluded.middle_name, phone = excluded.phone, address = excluded.address, updated_at = now()
                    WHERE (enterprise_person.person_key, enterprise_person.sex, enterprise_person.birth_date, enterprise_person.last_name,
                           enterprise_person.first_name, enterprise_person.middle_name, enterprise_person.phone, enterprise_person.address)
                      IS DISTINCT FROM (excluded.person_key, excluded.sex, excluded.birth_date, excluded.last_name, excluded.first_name,
                           excluded.middle_name, excluded.phone, excluded.address)""")) {
                Object[][] columns = {ids, keys, sex, birth, last, first, middle, phone, address};
                for (int col = 0; col < columns.length; col++) {
                    ps.setArray(col + 1, c.createArrayOf("text", columns[col]));
                }
                ps.executeUpdate();
            }
        }
        if (personKeys.isEmpty()) {
            return;
        }
        // the shared keys of before are re-decided too (a relink or merge may have left one enterprise patient); they are few
        try (PreparedStatement ps = c.prepareStatement("""
                WITH k(pk) AS (SELECT unnest(?::text[]) UNION SELECT person_key FROM shared_iin),
                     n AS (SELECT k.pk, (SELECT count(DISTINCT l.enterprise_id) FROM source_link l WHERE l.person_key = k.pk) AS patients
                           FROM k),
                     gone AS (DELETE FROM shared_iin s USING n WHERE s.person_key = n.pk AND n.patients < 2)
                INSERT INTO shared_iin (person_key) SELECT pk FROM n WHERE patients >= 2 ON CONFLICT (person_key) DO NOTHING""")) {
            ps.setArray(1, c.createArrayOf("text", personKeys.toArray()));
            ps.executeUpdate();
        }
    }
}
