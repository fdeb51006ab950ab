package kz.ehr.simulator.fraud;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import kz.ehr.simulator.population.CareEvent;
import kz.ehr.simulator.population.DoctorSchedule;
import kz.ehr.simulator.population.RecordType;
import kz.ehr.simulator.population.Sex;
import kz.ehr.simulator.population.Timeline;
import kz.ehr.simulator.population.TimelineGenerator;
import kz.ehr.simulator.population.Window;

/** Adds labelled fake services to a person's timeline; deterministic per (seed, person). */
public final class FraudInjector {
    private final FraudRates rates;
    private final Window window;
    private final long seed;

    private final DoctorSchedule schedule;

    public FraudInjector(FraudRates rates, Window window, long seed, DoctorSchedule schedule) {
        this.rates = rates;
        this.window = window;
        this.seed = seed;
        this.schedule = schedule;
    }

    public void inject(Timeline t) {
        SplittableRandom r = new SplittableRandom((seed + 0xF4A0D) * 0xBF58476D1CE4E5B9L + t.person.index);
        List<CareEvent> added = new ArrayList<>();
        var p = t.person;
        if (p.deathDate != null && p.deathDate.isBefore(window.end()) && r.nextDouble() < rates.visitAfterDeath()) {
            int n = 1 + r.nextInt(3);
            for (int i = 0; i < n; i++) {
                LocalDate d = TimelineGenerator.randomDate(r, p.deathDate.plusDays(1), min(p.deathDate.plusDays(90), window.end()));
                added.add(visit(t, r, d, "VISIT", null, FraudType.VISIT_AFTER_DEATH));
            }
        }
        int age = p.ageOn(window.end());
        if (p.sex == Sex.M && age >= 30 && age <= 70 && r.nextDouble() < rates.wrongSexScreening()) {
            LocalDate last = p.deathDate != null ? p.deathDate : window.end();
            LocalDate d = TimelineGenerator.weekday(TimelineGenerator.randomDate(r, window.start(), last.minusDays(3)));
            added.add(visit(t, r, d, "SCREENING", r.nextBoolean() ? "CERVICAL" : "BREAST", FraudType.WRONG_SEX_SCREENING));
        }
        for (CareEvent e : t.events) {
            if (e.type() == RecordType.ENCOUNTER && "VISIT".equals(e.block().get("kind")) && r.nextDouble() < rates.duplicate()) {
                Map<String, Object> b = new LinkedHashMap<>(e.block());
                // booked again, later that day, into another free slot of the same doctor
                OffsetDateTime start = schedule.bookAfter((String) e.block().get("doctorId"), e.at(), r);
                if (start == null) {
                    continue;
                }
                b.put("start", start);
                b.put("end", start.plusMinutes(15));
                added.add(new CareEvent(RecordType.ENCOUNTER, e.providerId(), start, b, FraudType.DUPLICATE));
            }
        }
        for (Timeline.Stay s : t.stays) {
            if (s.discharged().toEpochDay() - s.admitted().toEpochDay() >= 3 && r.nextDouble() < rates.visitDuringStay()) {
                LocalDate d = s.admitted().plusDays(1 + r.nextInt((int) (s.discharged().toEpochDay() - s.admitted().toEpochDay()) - 1));
                added.add(visit(t, r, d, "VISIT", null, FraudType.VISIT_DURING_HOSPITAL_STAY));
            }
        }
        t.events.addAll(added);
        t.events.sort(Comparator.comparing(CareEvent::at));
    }

    /** A fake visit booked into a free slot (so it does not also look like an overlap), 20:00 when the day is full. */
    private CareEvent visit(Timeline t, SplittableRandom r, LocalDate d, String kind, String screening, FraudType label) {
        Timeline.Spell s = t.spellOn(d);
        OffsetDateTime start = schedule.book(s.districtDoctor(), d, r);
        if (start == null) {
            start = TimelineGenerator.at(d, 20, 0);
        }
        List<String> services = List.of(screening != null ? "SCR-" + screening : "B01.047.001");
        List<String> diagnoses = List.of(screening != null ? "Z12.4" : "I10");
        return new CareEvent(RecordType.ENCOUNTER, s.polyclinic().providerId(), start,
                TimelineGenerator.encounterBlock(null, s.polyclinic().bin(), s.districtDoctor(), start, start.plusMinutes(15), kind,
                        screening, diagnoses, services), label);
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}
