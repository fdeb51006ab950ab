package kz.ehr.simulator.population;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import kz.ehr.identity.Iin;

/**
 * Doctors are named by their IIN, the national id that names a doctor at every polyclinic. Two populations streamed into
 * one platform (./ehr up's sample, seed 42, and a bench's load, seed 7) must not share doctors, or the fraud monitor
 * rightly sees one doctor at two polyclinics at once where the two simulated worlds overlap.
 */
class FacilitiesTests {
    static final List<String> PROVIDERS = List.of("damumed", "kmis", "medelement");

    static List<String> doctors(long persons, long seed) {
        return new Facilities(persons, PROVIDERS, seed).allPolyclinics().stream().flatMap(p -> p.doctorIds().stream()).toList();
    }

    @Test
    void populationsOfOtherSeedsShareNoDoctorAndOneSeedAlwaysHasTheSameDoctors() {
        List<String> sample = doctors(200, 42);
        List<String> bench = doctors(3_000, 7);
        assertThat(sample).doesNotContainAnyElementsOf(bench);
        assertThat(doctors(200, 42)).isEqualTo(sample);
        assertThat(bench).doesNotHaveDuplicates().allSatisfy(iin -> assertThat(Iin.problem(iin, Iin.today())).as(iin).isEmpty());
    }
}
