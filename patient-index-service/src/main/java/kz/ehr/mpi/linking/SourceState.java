package kz.ehr.mpi.linking;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import kz.ehr.mpi.golden.Survivorship;
import kz.ehr.mpi.matching.Demographics;
import kz.ehr.mpi.matching.MatchProfile;

/** A source record as held in memory while a batch or a manual decision is applied. */
public final class SourceState {
    public final String providerId;
    public final String localId;
    public UUID enterpriseId;
    public Demographics demographics;
    public MatchProfile profile;
    public String iinStatus;
    public String linkKind;
    public Double linkScore;
    public Instant occurredAt;
    public String lastEventId;
    public boolean dirty;

    public SourceState(String providerId, String localId) {
        this.providerId = providerId;
        this.localId = localId;
    }

    public void setDemographics(Demographics d, Instant occurredAt) {
        this.demographics = d;
        this.occurredAt = occurredAt;
        LocalDate reference = occurredAt == null ? LocalDate.now(ZoneOffset.UTC) : occurredAt.atOffset(ZoneOffset.UTC).toLocalDate();
        this.profile = MatchProfile.of(d, reference);
    }

    public String key() {
        return key(providerId, localId);
    }

    public static String key(String providerId, String localId) {
        return providerId + "\u001f" + localId;
    }

    public Survivorship.Source asSurvivorshipSource() {
        return new Survivorship.Source(providerId, localId, demographics, occurredAt);
    }
}
