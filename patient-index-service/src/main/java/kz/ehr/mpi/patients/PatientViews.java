package kz.ehr.mpi.patients;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import kz.ehr.mpi.matching.Demographics;

/** API shapes of the patient index's reads. */
public final class PatientViews {
    private PatientViews() {
    }

    public record Golden(String iin, String lastName, String firstName, String middleName, LocalDate birthDate, String sex,
                         String phone, String address) {
        static Golden of(Demographics d) {
            return new Golden(d.iin(), d.lastName(), d.firstName(), d.middleName(), d.birthDate(), d.sex(), d.phone(), d.address());
        }
    }

    public record LinkedSource(String providerId, String localId, String iin, String iinStatus, String lastName,
                               String firstName, String middleName, LocalDate birthDate, String sex, String linkKind,
                               Double linkScore, String motherIin) {
    }

    public record Patient(UUID enterpriseId, String status, UUID mergedInto, Golden golden, List<LinkedSource> sourceRecords) {
    }

    public record SourceLink(String providerId, String localId, UUID enterpriseId, String iin, String linkKind, Double linkScore) {
    }

    public record Candidate(UUID enterpriseId, double score, Golden golden, int sourceRecords) {
    }

    public record SearchResult(List<Candidate> candidates) {
    }

    public record LocatedRecord(String providerId, String localId, String recordId, String recordType, Instant occurredAt,
                                String facility, List<String> codes) {
    }

    public record RecordsPage(UUID enterpriseId, List<LocatedRecord> records, String nextCursor) {
    }

    public record HistoryEntry(long id, String eventType, UUID enterpriseId, UUID previousEnterpriseId, String providerId,
                               String localId, Double score, String reason, String actor, Instant at) {
    }

    public record Review(UUID reviewId, String kind, String status, String providerId, String localId,
                         UUID sourceEnterpriseId, UUID candidateEnterpriseId, Double score, String reason, String decidedBy,
                         Instant decidedAt, String decisionReason, Instant createdAt) {
    }
}
