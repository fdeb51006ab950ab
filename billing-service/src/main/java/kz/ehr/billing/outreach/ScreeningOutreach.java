package kz.ehr.billing.outreach;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import kz.ehr.billing.audit.AuditLog;
import kz.ehr.billing.config.Policies;
import kz.ehr.billing.export.Csv;
import kz.ehr.billing.projection.Jdbc;
import kz.ehr.screening.ScreeningProgramme;
import kz.ehr.security.Caller;

/**
 * The people attached to a polyclinic who are due a screening on a day by their programme (DOMAIN.md, the shared
 * {@link ScreeningProgramme} table as billing configures it): in the target group that day and never screened, or
 * screened last at least one interval before — the children's annual preventive exam included. A screening the fraud
 * monitor holds (an OPEN or CONFIRMED flag) does not count, as for capitation. Every read is audited.
 * Plain JDBC, not entities: one report query over a polyclinic's attached persons, programmes and screenings.
 */
@ApplicationScoped
public class ScreeningOutreach {
    /** Persons read per query while filling a page (the rules are decided in Java, once, by the shared table). */
    static final int CHUNK = 2_000;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    Policies policies;

    /** One programme a person is due: when they were last screened (null: never) and since when it is due. */
    public record Due(String programme, String lastScreening, String dueSince) {
    }

    /** {@code identityInReview}: as on the no-visit list ({@link OutreachList.Person}). */
    public record Person(String iin, String lastName, String firstName, String middleName, String phone, String address,
                         String sex, String birthDate, List<Due> due, boolean identityInReview) {
    }

    public record Page(String polyclinic, String programme, String asOf, List<Person> items, String nextCursor) {
    }

    /** The programmes a list can name: those in force on {@code asOf} that have an interval. */
    public List<String> programmesOn(LocalDate asOf) {
        return policies.fraud().programmes().stream().map(ScreeningProgramme::code).distinct()
                .filter(code -> ScreeningProgramme.inForce(policies.fraud().programmes(), code, asOf)
                        .map(p -> p.interval() != null).orElse(false))
                .sorted().toList();
    }

    public Page page(String polyclinic, String programme, LocalDate asOf, String after, int limit, Caller caller) throws SQLException {
        List<Person> people = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            String cursor = after == null ? "" : after;
            while (people.size() <= limit) {
                List<Person> chunk = new ArrayList<>();
                cursor = query(c, polyclinic, programme, asOf, cursor, CHUNK, chunk);
                people.addAll(chunk);
                if (cursor == null) {
                    break;
                }
            }
            AuditLog.record(c, caller, AuditLog.Action.READ_OUTREACH, null, "outreach screenings polyclinic=" + polyclinic
                    + " programme=" + programme + " asOf=" + asOf + " after=" + after, Math.min(limit, people.size()));
        }
        String next = null;
        if (people.size() > limit) {
            people = people.subList(0, limit);
            next = people.get(limit - 1).iin();
        }
        return new Page(polyclinic, programme, asOf.toString(), people, next);
    }

    public void csv(String polyclinic, String programme, LocalDate asOf, Caller caller, OutputStream out) throws SQLException, IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write(Csv.record("iin", "lastName", "firstName", "middleName", "phone", "address", "programme", "lastScreening", "dueSince",
                "identityInReview"));
        int total = 0;
        try (Connection c = dataSource.getConnection()) {
            String cursor = "";
            while (cursor != null) {
                List<Person> chunk = new ArrayList<>();
                cursor = query(c, polyclinic, programme, asOf, cursor, CHUNK, chunk);
                for (Person p : chunk) {
                    for (Due d : p.due()) {
                        w.write(Csv.record(Csv.text(p.iin()), Csv.text(p.lastName()), Csv.text(p.firstName()), Csv.text(p.middleName()),
                                Csv.text(p.phone()), Csv.text(p.address()), Csv.generated(d.programme()),
                                Csv.generated(d.lastScreening()), Csv.generated(d.dueSince()),
                                Csv.generated(String.valueOf(p.identityInReview()))));
                        total++;
                    }
                }
            }
            AuditLog.record(c, caller, AuditLog.Action.EXPORT_OUTREACH_CSV, null,
                    "outreach screenings polyclinic=" + polyclinic + " programme=" + programme + " asOf=" + asOf, total);
        }
        w.flush();
    }

    /**
     * Up to {@code limit} attached persons after {@code after}, of whom the due ones go to {@code out}; the last person
     * key read, or null when there are no more.
     */
    private String query(Connection c, String polyclinic, String programme, LocalDate asOf, String after, int limit, List<Person> out)
            throws SQLException {
        List<ScreeningProgramme> programmes = new ArrayList<>();
        for (String code : programmesOn(asOf)) {
            if (programme == null || programme.equals(code)) {
                ScreeningProgramme.inForce(policies.fraud().programmes(), code, asOf).ifPresent(programmes::add);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.person_key, a.last_name, a.first_name, a.middle_name, a.phone, a.address, a.sex, a.birth_date,
                       s.codes, s.lasts, a.identity_in_review
                FROM attached_person a
                LEFT JOIN LATERAL (SELECT array_agg(l.screening) codes, array_agg(l.last) lasts
                                   FROM (SELECT v.screening, max(v.visit_date) last FROM visit v
                                         WHERE v.person_key = a.person_key AND v.kind = 'SCREENING' AND v.screening IS NOT NULL
                                           AND NOT v.flagged AND v.visit_date <= ?
                                         GROUP BY v.screening) l) s ON true
                WHERE a.polyclinic_bin = ? AND a.from_date <= ? AND (a.effective_to IS NULL OR a.effective_to >= ?)
                  AND a.has_person AND (a.death_date IS NULL OR a.death_date > ?) AND a.birth_date IS NOT NULL
                  AND a.person_key > ?
                ORDER BY a.person_key LIMIT ?""")) {
            Jdbc.date(ps, 1, asOf);
            ps.setString(2, polyclinic);
            Jdbc.date(ps, 3, asOf);
            Jdbc.date(ps, 4, asOf);
            Jdbc.date(ps, 5, asOf);
            ps.setString(6, after);
            ps.setInt(7, limit);
            String last = null;
            int read = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    read++;
                    last = rs.getString(1);
                    Map<String, LocalDate> lastByCode = lastScreenings(rs.getArray(9), rs.getArray(10));
                    String sex = rs.getString(7);
                    LocalDate birth = Jdbc.date(rs, 8);
                    List<Due> due = new ArrayList<>();
                    for (ScreeningProgramme p : programmes) {
                        LocalDate lastScreening = lastByCode.get(p.code());
                        if (p.dueOn(sex, birth, lastScreening, asOf)) {
                            due.add(new Due(p.code(), lastScreening == null ? null : lastScreening.toString(),
                                    lastScreening == null ? null : p.nextDue(lastScreening).toString()));
                        }
                    }
                    if (!due.isEmpty()) {
                        out.add(new Person(last, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                                sex, birth.toString(), due, rs.getBoolean(11)));
                    }
                }
            }
            return read < limit ? null : last;
        }
    }

    private static Map<String, LocalDate> lastScreenings(Array codes, Array dates) throws SQLException {
        Map<String, LocalDate> out = new HashMap<>();
        if (codes == null) {
            return out;
        }
        Object[] c = (Object[]) codes.getArray();
        Object[] d = (Object[]) dates.getArray();
        for (int i = 0; i < c.length; i++) {
            out.put((String) c[i], ((java.sql.Date) d[i]).toLocalDate());
        }
        return out;
    }
}
