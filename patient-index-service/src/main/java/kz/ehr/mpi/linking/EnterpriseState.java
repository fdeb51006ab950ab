package kz.ehr.mpi.linking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import kz.ehr.mpi.golden.Survivorship;
import kz.ehr.mpi.matching.Demographics;

/** An enterprise patient with every source record linked to it. */
public final class EnterpriseState {
    public final UUID id;
    public String status = "ACTIVE";
    public UUID mergedInto;
    public Map<String, String> overrides = Map.of();
    public final List<SourceState> sources = new ArrayList<>();
    public Demographics golden;
    public boolean isNew;
    public boolean dirty;

    public EnterpriseState(UUID id) {
        this.id = id;
    }

    public void recomputeGolden() {
        golden = Survivorship.golden(sources.stream().map(SourceState::asSurvivorshipSource).toList(), overrides);
        if (sources.isEmpty() && "ACTIVE".equals(status)) {
            // nothing left to describe: the id stays resolvable but is no longer a person
            status = "RETIRED";
        } else if (!sources.isEmpty() && "RETIRED".equals(status)) {
            status = "ACTIVE";
        }
        dirty = true;
    }

    public List<SourceState> sortedSources() {
        return sources.stream().sorted(Comparator.comparing(SourceState::key)).toList();
    }
}
