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
import kz.ehr.simulator.population.Facilities;
import kz.ehr.simulator.population.Polyclinic;
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
    private final Facilities facilities;

    public FraudInjector(FraudRates rates, Window window, long seed, DoctorSchedule schedule, Facilities facilities) {
        this.rates = rates;
        this.window = window;
        this.seed = seed;
        this.schedule = schedule;
        this.facilities = facilities;
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
        if (r.nextDouble() < rates.doubleAttachment()) {
            doubleAttachment(t, r, added);
        }
        if (r.nextDouble() < rates.doctorTwoPolyclinics()) {
            doctorFromAnotherPolyclinic(t, r, added);
        }
        t.events.addAll(added);
        t.events.sort(Comparator.comparing(CareEvent::at));
    }

    /**
     * A second polyclinic attaches the person for a fixed term from 20–60 days before the window's end (or death) while
     * the attachment in force stays open, and books one or two visits there: the visits are the labelled fraud (the attachment carries no label,
     * the monitor flags visits). Only for a person whose last spell is open and when another polyclinic exists.
     */
    private void doubleAttachment(Timeline t, SplittableRandom r, List<CareEvent> added) {
        LocalDate last = t.person.deathDate != null && t.person.deathDate.isBefore(window.end()) ? t.person.deathDate : window.end();
        LocalDate from = TimelineGenerator.weekday(TimelineGenerator.randomDate(r, last.minusDays(60), last.minusDays(20)));
        Timeline.Spell current = t.spells.get(t.spells.size() - 1);
        if (from.isAfter(last) || !t.person.aliveOn(from) || current.to() != null || !current.covers(from)) {
            return;
        }
        List<Polyclinic> pool = new ArrayList<>(facilities.polyclinics(current.polyclinic().region()));
        pool.remove(current.polyclinic());
        if (pool.isEmpty()) {
            pool = new ArrayList<>(facilities.allPolyclinics());
            pool.remove(current.polyclinic());
        }
        if (pool.isEmpty()) {
            return;
        }
        Polyclinic second = pool.get(r.nextInt(pool.size()));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("polyclinicBin", second.bin());
        b.put("region", second.region().name());
        b.put("from", from.toString());
        // a fixed term inside the open spell at the first polyclinic (two open spells would be a plain change)
        b.put("to", window.end().plusMonths(6).toString());
        added.add(new CareEvent(RecordType.ATTACHMENT, second.providerId(), TimelineGenerator.at(from, 9, 0), b, null));
        int visits = 1 + r.nextInt(2);
        for (int i = 0; i < visits; i++) {
            LocalDate d = TimelineGenerator.weekday(TimelineGenerator.randomDate(r, from.plusDays(1), last.minusDays(3)));
            String doctor = second.doctorIds().get(r.nextInt(second.doctorIds().size()));
            OffsetDateTime start = d.isAfter(last) || inHospital(t, d) ? null : schedule.book(doctor, d, r);
            if (start != null) {
                added.add(new CareEvent(RecordType.ENCOUNTER, second.providerId(), start, TimelineGenerator.encounterBlock(null,
                        second.bin(), doctor, start, start.plusMinutes(15), "VISIT", null, List.of("Z00.0"), List.of("B01.047.002")),
                        FraudType.DOUBLE_ATTACHMENT));
            }
        }
    }

    /**
     * A visit at the person's own polyclinic booked to a doctor of another polyclinic, starting five minutes into one of
     * that doctor's visits there (whose next slot is then kept free, so only the fake visit overlaps).
     */
    private void doctorFromAnotherPolyclinic(Timeline t, SplittableRandom r, List<CareEvent> added) {
        List<Polyclinic> all = facilities.allPolyclinics();
        if (all.size() < 2) {
            return;
        }
        LocalDate last = t.person.deathDate != null && t.person.deathDate.isBefore(window.end()) ? t.person.deathDate : window.end();
        LocalDate first = t.person.birthDate.isAfter(window.start()) ? t.person.birthDate : window.start();
        for (int attempt = 0; attempt < 30; attempt++) {
            LocalDate d = TimelineGenerator.weekday(TimelineGenerator.randomDate(r, first, last.minusDays(3)));
            Timeline.Spell s = t.spellOn(d);
            Polyclinic other = all.get(r.nextInt(all.size()));
            if (d.isAfter(last) || !t.person.aliveOn(d) || !s.covers(d) || other.equals(s.polyclinic()) || inHospital(t, d)) {
                continue;
            }
            String doctor = other.doctorIds().get(r.nextInt(other.doctorIds().size()));
            OffsetDateTime busy = schedule.bookedWithFreeNext(doctor, d, r);
            if (busy == null) {
                continue;
            }
            OffsetDateTime start = busy.plusMinutes(5);
            added.add(new CareEvent(RecordType.ENCOUNTER, s.polyclinic().providerId(), start, TimelineGenerator.encounterBlock(null,
                    s.polyclinic().bin(), doctor, start, start.plusMinutes(15), "VISIT", null, List.of("Z00.0"), List.of("B01.047.002")),
                    FraudType.DOCTOR_TWO_POLYCLINICS));
            return;
        }
    }

    private static boolean inHospital(Timeline t, LocalDate d) {
        return t.stays.stream().anyMatch(s -> !d.isBefore(s.admitted()) && !d.isAfter(s.discharged()));
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
