package kz.ehr.simulator.fraud;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import kz.ehr.simulator.population.CareEvent;
import kz.ehr.simulator.population.Person;
import kz.ehr.simulator.population.Polyclinic;
import kz.ehr.simulator.population.RecordType;
import kz.ehr.simulator.population.TimelineGenerator;
import kz.ehr.simulator.population.Window;

/**
 * The "1,442 patients in a day" pattern: at chosen polyclinics one doctor books cap + 20…80 five-minute visits on
 * one day to people attached there. Candidates are kept in a bounded reservoir per polyclinic so a national-size
 * run stays in constant memory.
 */
public final class OverloadedDoctors {
    private static final int RESERVOIR = 200;

    /** One fake visit to emit: the person it is booked to and the event. */
    public record Booking(Person person, CareEvent event) {
    }

    private final FraudRates rates;
    private final Window window;
    private final SplittableRandom random;
    private final Map<Integer, List<Person>> reservoir = new HashMap<>();
    private final Map<Integer, Long> seen = new HashMap<>();

    public OverloadedDoctors(FraudRates rates, Window window, long seed) {
        this.rates = rates;
        this.window = window;
        this.random = new SplittableRandom(seed ^ 0x0DD0C7L);
    }

    /** Offers a person alive and attached to the polyclinic on the window's last day (reservoir sampling). */
    public void offer(Polyclinic p, Person person) {
        long n = seen.merge(p.index(), 1L, Long::sum);
        List<Person> list = reservoir.computeIfAbsent(p.index(), k -> new ArrayList<>());
        if (list.size() < RESERVOIR) {
            list.add(person);
        } else {
            long j = random.nextLong(n);
            if (j < RESERVOIR) {
                list.set((int) j, person);
            }
        }
    }

    /** The fake visits, once every person has been offered. */
    public List<Booking> bookings(List<Polyclinic> polyclinics) {
        List<Booking> out = new ArrayList<>();
        List<Polyclinic> chosen = new ArrayList<>();
        for (Polyclinic p : polyclinics) {
            if (reservoir.containsKey(p.index()) && random.nextDouble() < rates.overloadedPolyclinic()) {
                chosen.add(p);
            }
        }
        if (chosen.isEmpty() && rates.overloadedPolyclinic() > 0) {
            polyclinics.stream().filter(p -> reservoir.containsKey(p.index()))
                    .max(java.util.Comparator.comparingLong(p -> seen.get(p.index()))).ifPresent(chosen::add);
        }
        for (Polyclinic p : chosen) {
            List<Person> people = reservoir.get(p.index());
            // a doctor id that books nothing else, so every visit of that day is a labelled fake
            String ghostDoctor = "DR" + (900_000 + p.index());
            LocalDate day = TimelineGenerator.weekday(window.end().minusDays(30 + random.nextInt(300)));
            int visits = rates.dailyCap() + 20 + random.nextInt(61);
            OffsetDateTime slot = TimelineGenerator.at(day, 8, 0);
            for (int i = 0; i < visits; i++) {
                Person person = people.get(i % people.size());
                OffsetDateTime start = slot.plusMinutes(5L * i);
                out.add(new Booking(person, new CareEvent(RecordType.ENCOUNTER, p.providerId(), start,
                        TimelineGenerator.encounterBlock(null, p.bin(), ghostDoctor, start, start.plusMinutes(5), "VISIT", null,
                                List.of("Z00.0"), List.of("B01.047.001")), FraudType.OVERLOADED_DOCTOR)));
            }
        }
        return out;
    }
}
