package kz.ehr.mpi.linking;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.mpi.matching.Demographics;

/**
 * The copy of a patient's source records kept on its enterprise_patient row ({@code sources_compact}), so that a
 * candidate is one row to read: a JSON array of arrays in source_record's column order, the same shape migration V6
 * builds with {@code json_build_array}. It is rewritten with the patient row in every transaction that changes it.
 */
final class CompactSources {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CompactSources() {
    }

    static String encode(List<SourceState> sources) {
        List<Object[]> rows = new ArrayList<>(sources.size());
        for (SourceState s : sources.stream().sorted(Comparator.comparing(SourceState::key)).toList()) {
            Demographics d = s.demographics;
            rows.add(new Object[] {s.providerId, s.localId, d.iin(), s.iinStatus == null ? "MISSING" : s.iinStatus,
                    d.lastName(), d.firstName(), d.middleName(), d.birthDate() == null ? null : d.birthDate().toString(), d.sex(),
                    // the phone as source_record stores it: its last ten digits
                    s.profile.phone != null ? s.profile.phone : d.phone(), d.address(), s.linkKind, s.linkScore,
                    s.occurredAt == null ? null : s.occurredAt.toString(), s.lastEventId == null ? "manual" : s.lastEventId,
                    s.profile.motherIin});
        }
        try {
            return JSON.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<SourceState> decode(String json, UUID enterpriseId) {
        String[][] rows;
        try {
            rows = JSON.readValue(json, String[][].class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt sources_compact of enterprise patient " + enterpriseId, e);
        }
        List<SourceState> out = new ArrayList<>(rows.length);
        for (String[] r : rows) {
            SourceState s = new SourceState(r[0], r[1]);
            s.enterpriseId = enterpriseId;
            s.iinStatus = r[3];
            // rows written before V13 have no mother's IIN
            s.setDemographics(new Demographics(r[2], r[4], r[5], r[6], r[7] == null ? null : LocalDate.parse(r[7]), r[8], r[9],
                    r[10], r.length > 15 ? r[15] : null), r[13] == null ? null : instant(r[13]));
            s.linkKind = r[11];
            s.linkScore = r[12] == null ? null : Double.valueOf(r[12]);
            s.lastEventId = r[14];
            out.add(s);
        }
        out.sort(Comparator.comparing(SourceState::key));
        return out;
    }

    /** Java writes "…Z"; PostgreSQL's json of a timestamptz carries its session offset ("…+06:00"). */
    private static Instant instant(String value) {
        return OffsetDateTime.parse(value).toInstant();
    }
}
