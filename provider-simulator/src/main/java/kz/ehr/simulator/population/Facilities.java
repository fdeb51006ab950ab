package kz.ehr.simulator.population;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import kz.ehr.identity.Bin;
import kz.ehr.identity.Iin;

/**
 * Polyclinics, doctors and hospitals sized for the population: about one polyclinic per 10,000 people
 * (at least one per region) and one district doctor per ~1,700 attached people, as in Kazakhstan's norms.
 */
public final class Facilities {
    static final int PERSONS_PER_POLYCLINIC = 10_000;
    static final int PERSONS_PER_DOCTOR = 1_700;
    static final int PERSONS_PER_HOSPITAL = 50_000;

    private final Map<Region, List<Polyclinic>> polyclinics = new EnumMap<>(Region.class);
    private final Map<Region, List<Hospital>> hospitals = new EnumMap<>(Region.class);
    private final List<Polyclinic> all = new ArrayList<>();
    private final List<String> providers;

    public Facilities(long persons, List<String> providers, long seed) {
        this.providers = List.copyOf(providers);
        SplittableRandom r = new SplittableRandom(seed ^ 0x5EED_FAC1L);
        int binSerial = 1000;
        // each seed's doctors from a birth date of its own: two populations in one platform (./ehr up's sample and a
        // bench's load) shared every doctor's IIN, and the monitor rightly flagged a doctor "at two polyclinics at once"
        // where the two simulated worlds overlapped (DOCTOR_TWO_POLYCLINICS, 34 of a streamed bench's 56 false positives)
        int doctorSerial = 100_000 + new SplittableRandom(seed ^ 0xD0C7_0125L).nextInt(DOCTOR_BIRTH_SPREAD_DAYS);
        int total = Region.totalThousands();
        for (Region region : Region.values()) {
            double expected = (double) persons * region.populationThousands / total;
            int count = (int) Math.max(1, Math.round(expected / PERSONS_PER_POLYCLINIC));
            List<Polyclinic> list = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String bin = Bin.issue(1995 + r.nextInt(25), 1 + r.nextInt(12), binSerial);
                binSerial = Integer.parseInt(bin.substring(6, 11)) + 1;
                String city = region.cities.get(i % region.cities.size());
                int doctors = (int) Math.max(2, Math.round(expected / count / PERSONS_PER_DOCTOR));
                List<String> doctorIds = new ArrayList<>();
                for (int d = 0; d < doctors; d++) {
                    doctorIds.add(doctorIin(doctorSerial++));
                }
                Polyclinic p = new Polyclinic(all.size(), bin, "Городская поликлиника №" + (i + 1) + " г. " + city, region,
                        drawProvider(r), List.copyOf(doctorIds));
                list.add(p);
                all.add(p);
            }
            polyclinics.put(region, List.copyOf(list));
            int hospitalCount = (int) Math.max(1, Math.round(expected / PERSONS_PER_HOSPITAL));
            List<Hospital> hs = new ArrayList<>();
            for (int i = 0; i < hospitalCount; i++) {
                String bin = Bin.issue(1990 + r.nextInt(20), 1 + r.nextInt(12), binSerial);
                binSerial = Integer.parseInt(bin.substring(6, 11)) + 1;
                String city = region.cities.get(i % region.cities.size());
                hs.add(new Hospital(bin, "Многопрофильная больница №" + (i + 1) + " г. " + city, region, drawProvider(r)));
            }
            hospitals.put(region, List.copyOf(hs));
        }
    }

    /** Bigger vendors hold more polyclinics: the i-th provider is drawn with weight 1/(i+1). */
    private String drawProvider(RandomGenerator r) {
        double sum = 0;
        for (int i = 0; i < providers.size(); i++) {
            sum += 1.0 / (i + 1);
        }
        double x = r.nextDouble() * sum;
        for (int i = 0; i < providers.size(); i++) {
            x -= 1.0 / (i + 1);
            if (x < 0) {
                return providers.get(i);
            }
        }
        return providers.get(providers.size() - 1);
    }

    /** Days over which a population's first doctor's birth date is spread by the seed (about 25 years). */
    static final int DOCTOR_BIRTH_SPREAD_DAYS = 9_000;

    /**
     * A district doctor's id: the doctor's IIN, the national identifier that names the same doctor at every polyclinic
     * (one birth date per doctor, 1950 onwards, and a serial far above the population's, so it is nobody else's IIN).
     */
    static String doctorIin(int serial) {
        LocalDate born = LocalDate.of(1950, 1, 1).plusDays(serial - 100_000L);
        String sex = serial % 3 == 0 ? "M" : "F";
        for (int s = 9_990; ; s++) {
            String iin = Iin.issue(born, sex, s);
            if (iin != null) {
                return iin;
            }
        }
    }

    public List<Polyclinic> polyclinics(Region region) {
        return polyclinics.get(region);
    }

    public List<Hospital> hospitals(Region region) {
        return hospitals.get(region);
    }

    public List<Polyclinic> allPolyclinics() {
        return all;
    }

    public List<String> providers() {
        return providers;
    }
}
