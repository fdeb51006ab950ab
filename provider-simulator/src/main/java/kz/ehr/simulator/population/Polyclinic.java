package kz.ehr.simulator.population;

import java.util.List;

/** A primary-care polyclinic: its BIN, region, the MIS vendor (provider) it reports through and its doctors. */
public record Polyclinic(int index, String bin, String name, Region region, String providerId, List<String> doctorIds) {
}
