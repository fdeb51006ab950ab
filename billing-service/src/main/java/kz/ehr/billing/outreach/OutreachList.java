package kz.ehr.billing.outreach;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import kz.ehr.billing.audit.AuditLog;
import kz.ehr.billing.config.Policies;
import kz.ehr.billing.export.Csv;
import kz.ehr.billing.projection.Jdbc;
import kz.ehr.security.Caller;

/**
 * The people attached to a polyclinic whom nobody has seen (no counted visit) for N months, with contact data for
 * the call centre. Every read is audited: contact data is personal data.
 * Plain JDBC, not entities: one report query over a polyclinic's attached persons and their visits.
 */
@ApplicationScoped
public class OutreachList {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    Policies policies;

    /**
     * {@code identityInReview}: the patient index keeps more than one enterprise patient under this IIN; the names and
     * contact data are those of the attachment's own enterprise patient (view {@code attached_person}, V10).
     */
    public record Person(String iin, String lastName, String firstName, String middleName, String phone, String address,
                         String lastVisit, String attachedSince, boolean identityInReview) {
    }

    public record Page(String polyclinic, int noVisitMonths, String asOf, List<Person> items, String nextCursor) {
    }

    public Page page(String polyclinic, int noVisitMonths, LocalDate asOf, String after, int limit, Caller caller)
            throws SQLException {
        List<Person> people = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            query(c, polyclinic, noVisitMonths, asOf, after, limit + 1, people);
            AuditLog.record(c, caller, AuditLog.Action.READ_OUTREACH, null,
                    "outreach polyclinic=" + polyclinic + " noVisitMonths=" + noVisitMonths + " asOf=" + asOf + " after=" + after,
                    Math.min(limit, people.size()));
        }
        String next = null;
        if (people.size() > limit) {
            people = people.subList(0, limit);
            next = people.get(limit - 1).iin();
        }
        return new Page(polyclinic, noVisitMonths, asOf.toString(), people, next);
    }

    public void csv(String polyclinic, int noVisitMonths, LocalDate asOf, Caller caller, OutputStream out)
            throws SQLException, IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write(Csv.record("iin", "lastName", "firstName", "middleName", "phone", "address", "lastVisit", "attachedSince",
                "identityInReview"));
        String after = "";
        int total = 0;
        try (Connection c = dataSource.getConnection()) {
            while (true) {
                List<Person> chunk = new ArrayList<>();
                query(c, polyclinic, noVisitMonths, asOf, after, 5_000, chunk);
                for (Person p : chunk) {
                    // everything a provider sent is free text, the person key too (provider:localId until the MPI links it)
                    w.write(Csv.record(Csv.text(p.iin()), Csv.text(p.lastName()), Csv.text(p.firstName()), Csv.text(p.middleName()),
                            Csv.text(p.phone()), Csv.text(p.address()), Csv.generated(p.lastVisit()), Csv.generated(p.attachedSince()),
                            Csv.generated(String.valueOf(p.identityInReview()))));
                }
                total += chunk.size();
                if (chunk.size() < 5_000) {
                    break;
                }
                after = chunk.get(chunk.size() - 1).iin();
            }
            AuditLog.record(c, caller, AuditLog.Action.EXPORT_OUTREACH_CSV, null,
                    "outreach polyclinic=" + polyclinic + " noVisitMonths=" + noVisitMonths + " asOf=" + asOf, total);
        }
        w.flush();
    }

    private void query(Connection c, String polyclinic, int months, LocalDate asOf, String after, int limit, List<Person> out)
            throws SQLException {
        var policy = policies.capitation().inForceOn(asOf);
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.person_key, a.last_name, a.first_name, a.middle_name, a.phone, a.address, lv.last_visit, a.from_date,
                       a.identity_in_review
                FROM attached_person a
                LEFT JOIN LATERAL (SELECT max(v.visit_date) last_visit FROM visit v
                                   WHERE v.person_key = a.person_key AND NOT v.flagged AND v.kind = ANY(?) AND v.visit_date <= ?) lv ON true
                WHERE a.polyclinic_bin = ? AND a.from_date <= ? AND (a.effective_to IS NULL OR a.effective_to >= ?)
                  AND (a.death_date IS NULL OR a.death_date > ?)
                  AND (lv.last_visit IS NULL OR lv.last_visit <= ?)
                  AND a.person_key > ?
                ORDER BY a.person_key LIMIT ?""")) {
            ps.setArray(1, c.createArrayOf("text", policy.countedVisitKinds().toArray()));
            Jdbc.date(ps, 2, asOf);
            ps.setString(3, polyclinic);
            Jdbc.date(ps, 4, asOf);
            Jdbc.date(ps, 5, asOf);
            Jdbc.date(ps, 6, asOf);
            Jdbc.date(ps, 7, asOf.minusMonths(months));
            ps.setString(8, after == null ? "" : after);
            ps.setInt(9, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LocalDate last = Jdbc.date(rs, 7);
                    out.add(new Person(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), last == null ? null : last.toString(), rs.getString(8), rs.getBoolean(9)));
                }
            }
        }
    }
}
