package kz.ehr.simulator.population;

/** A 24-hour hospital (also hosting the regional dispensaries) reporting through one provider's MIS. */
public record Hospital(String bin, String name, Region region, String providerId) {
}
