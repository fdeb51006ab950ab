package kz.ehr.simulator.population;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import kz.ehr.screening.ScreeningProgramme;

/**
 * A realistic care history per person inside the window: attachment (and changes), ОСМС insurance, visits
 * (a share of adults never visit), screenings by age and sex, the child immunization calendar, exams for
 * certificates, dispensary registrations, hospitalizations and death. Deterministic per (seed, person).
 */
public final class TimelineGenerator {
    public static final ZoneOffset KAZAKHSTAN = ZoneOffset.ofHours(5);
    /** Working-age adults who never come to the polyclinic in the window. */
    static final double NEVER_VISITS = 0.15;
    /** Working-age adults outside ОСМС (children and pensioners are insured by the state). */
    static final double UNINSURED_WORKING_AGE = 0.20;
    static final double ATTACHMENT_CHANGE = 0.08;
    static final double SCREENING_PARTICIPATION = 0.6;
    /** People who also test at a private laboratory (another provider's MIS) in the window. */
    static final double PRIVATE_LAB = 0.35;

    /**
     * How often the simulated population comes for a programme DOMAIN.md gives no interval for (CARDIO, GLAUCOMA):
     * every 2 years, a behaviour of the synthetic people, not a rule.
     */
    static final int YEARS_WITHOUT_INTERVAL = 2;

    /** Kazakhstan's national immunization calendar, simplified: vaccine, dose, age in days. */
    record Dose(String vaccine, int dose, int ageDays) {
    }

    static final List<Dose> CALENDAR = List.of(new Dose("HEPB", 1, 0), new Dose("BCG", 1, 2), new Dose("DTAP_IPV_HIB", 1, 60),
            new Dose("HEPB", 2, 60), new Dose("PCV", 1, 60), new Dose("DTAP_IPV_HIB", 2, 90), new Dose("DTAP_IPV_HIB", 3, 120),
            new Dose("HEPB", 3, 120), new Dose("PCV", 2, 120), new Dose("PCV", 3, 365), new Dose("MMR", 1, 365),
            new Dose("DTAP_IPV_HIB", 4, 540), new Dose("MMR", 2, 2190), new Dose("DT", 1, 2190), new Dose("TD", 1, 5840));

    private static final String[] ADULT_DIAGNOSES = {"I10", "E11.9", "J06.9", "K29.7", "M54.5", "I25.1", "J20.9", "N39.0", "Z00.0", "E78.0"};
    private static final String[] CHILD_DIAGNOSES = {"J06.9", "J20.9", "A09", "H66.9", "L20.9", "Z00.1", "B34.9"};

    private final Facilities facilities;
    private final Window window;
    private final long seed;
    private final DoctorSchedule schedule = new DoctorSchedule();

    public TimelineGenerator(Facilities facilities, Window window, long seed) {
        this.facilities = facilities;
        this.window = window;
        this.seed = seed;
    }

    public Window window() {
        return window;
    }

    /** The appointment book shared by every person of the run (fraud injection books into it too). */
    public DoctorSchedule schedule() {
        return schedule;
    }

    public Timeline generate(Person p) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + p.index);
        Timeline t = new Timeline(p);
        LocalDate end = p.deathDate != null ? p.deathDate : window.end();
        attachments(t, r);
        insurance(t, r);
        int age = p.ageOn(window.end());
        boolean workingAge = age >= 18 && age < 63;
        boolean neverVisits = workingAge && r.nextDouble() < NEVER_VISITS;
        hospitalizations(t, r, end);
        if (!neverVisits) {
            visits(t, r, end);
            screenings(t, r, end);
            observations(t, r, end);
        }
        privateLab(t, r, end);
        immunizations(t, r, end);
        exams(t, r, end, neverVisits);
        dispensary(t, r, end);
        if (p.deathDate != null) {
            Timeline.Spell s = t.spellOn(p.deathDate);
            t.events.add(new CareEvent(RecordType.DEATH, s.polyclinic().providerId(), at(p.deathDate, 10, 0),
                    Map.of("date", p.deathDate.toString()), null));
        }
        t.events.sort(Comparator.comparing(CareEvent::at));
        return t;
    }

    private void attachments(Timeline t, SplittableRandom r) {
        Person p = t.person;
        List<Polyclinic> local = facilities.polyclinics(p.household.region);
        Polyclinic first = local.get(r.nextInt(local.size()));
        LocalDate from = window.start().minusDays(r.nextInt(365 * 5));
        if (from.isBefore(p.birthDate)) {
            from = p.birthDate;
        }
        LocalDate lastDay = p.deathDate != null ? p.deathDate : window.end();
        if (r.nextDouble() < ATTACHMENT_CHANGE) {
            LocalDate change = randomDate(r, from.isAfter(window.start()) ? from : window.start(), lastDay);
            if (change.isAfter(from)) {
                // most changes stay in the region (a better polyclinic nearby); some follow a move elsewhere
                List<Polyclinic> pool = r.nextDouble() < 0.7 ? local : facilities.allPolyclinics();
                Polyclinic second = pool.get(r.nextInt(pool.size()));
                Timeline.Spell a = new Timeline.Spell(first, from, change.minusDays(1), doctor(first, r));
                Timeline.Spell b = new Timeline.Spell(second, change, null, doctor(second, r));
                t.spells.add(a);
                t.spells.add(b);
                attachmentEvent(t, a, a.from(), false);
                attachmentEvent(t, a, change, true);
                attachmentEvent(t, b, change, false);
                return;
            }
        }
        Timeline.Spell only = new Timeline.Spell(first, from, null, doctor(first, r));
        t.spells.add(only);
        attachmentEvent(t, only, from, false);
    }

    private void attachmentEvent(Timeline t, Timeline.Spell s, LocalDate when, boolean closing) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("polyclinicBin", s.polyclinic().bin());
        b.put("region", s.polyclinic().region().name());
        b.put("from", s.from().toString());
        b.put("to", closing ? s.to().toString() : null);
        t.events.add(new CareEvent(RecordType.ATTACHMENT, s.polyclinic().providerId(), at(when, 9, 0), b, null));
    }

    private void insurance(Timeline t, SplittableRandom r) {
        Person p = t.person;
        LocalDate from = p.birthDate.isAfter(window.start()) ? p.birthDate : window.start();
        int ageAtStart = p.ageOn(from);
        boolean stateInsured = ageAtStart < 18 || ageAtStart >= 63;
        boolean insured = stateInsured || r.nextDouble() >= UNINSURED_WORKING_AGE;
        insuranceEvent(t, from, insured, r);
        LocalDate last = p.deathDate != null ? p.deathDate : window.end();
        if (!stateInsured && r.nextDouble() < 0.10 && from.isBefore(last)) {
            // contributions stop (job loss) or start (new job) once inside the window
            insuranceEvent(t, randomDate(r, from.plusDays(1), last), !insured, r);
        }
    }

    private void insuranceEvent(Timeline t, LocalDate from, boolean insured, SplittableRandom r) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("insured", insured);
        b.put("from", from.toString());
        b.put("to", null);
        t.events.add(new CareEvent(RecordType.INSURANCE, t.spellOn(from).polyclinic().providerId(), at(from, 8, 0), b, null));
    }

    private void visits(Timeline t, SplittableRandom r, LocalDate end) {
        Person p = t.person;
        LocalDate start = p.birthDate.isAfter(window.start()) ? p.birthDate : window.start();
        if (end.isBefore(start)) {
            return;
        }
        double years = ChronoUnit.DAYS.between(start, end) / 365.0;
        int age = p.ageOn(window.end());
        double perYear = age < 1 ? 8 : age < 5 ? 4 : age < 18 ? 2 : age < 40 ? 1.5 : age < 60 ? 2.5 : 4;
        int n = poisson(r, perYear * years);
        for (int i = 0; i < n; i++) {
            LocalDate d = weekday(randomDate(r, start, end));
            if (d.isAfter(end)) {
                continue;
            }
            double k = r.nextDouble();
            String kind = k < 0.85 ? "VISIT" : k < 0.93 ? "HOME_VISIT" : "TELEMEDICINE";
            String[] pool = p.ageOn(d) < 18 ? CHILD_DIAGNOSES : ADULT_DIAGNOSES;
            String service = kind.equals("HOME_VISIT") ? "B04.047.002" : p.ageOn(d) < 18 ? "B01.031.001" : "B01.047.001";
            encounter(t, r, d, kind, null, List.of(pool[r.nextInt(pool.length)]), List.of(service));
        }
        // the children's annual preventive exam (ScreeningProgramme CHILD_PREVENTIVE): never sooner than a year after the last
        ScreeningProgramme exam = programme(ScreeningProgramme.CHILD_PREVENTIVE);
        LocalDate last = null;
        for (int year = start.getYear(); year <= end.getYear(); year++) {
            LocalDate d = weekday(LocalDate.of(year, 1 + r.nextInt(12), 1 + r.nextInt(28)));
            if (last != null && exam.tooSoon(last, d)) {
                d = weekday(exam.nextDue(last));
            }
            if (exam.targets(p.sex.name(), p.birthDate, d) && !d.isBefore(start) && !d.isAfter(end) && r.nextDouble() < 0.7) {
                encounter(t, r, d, "SCREENING", exam.code(), List.of("Z00.1"), List.of("B04.031.001"));
                last = d;
            }
        }
    }

    static ScreeningProgramme programme(String code) {
        return ScreeningProgramme.inForce(ScreeningProgramme.DOMAIN, code, LocalDate.MAX).orElseThrow();
    }

    private void screenings(Timeline t, SplittableRandom r, LocalDate end) {
        Person p = t.person;
        Map<String, LocalDate> last = new java.util.HashMap<>();
        for (int year = window.start().getYear(); year <= window.end().getYear(); year++) {
            LocalDate d = weekday(LocalDate.of(year, 2 + r.nextInt(10), 1 + r.nextInt(28)));
            if (d.isBefore(window.start()) || d.isAfter(end) || d.isAfter(window.end())) {
                continue;
            }
            int ageInYear = year - p.birthDate.getYear();
            for (ScreeningProgramme s : ScreeningProgramme.DOMAIN) {
                if (s.code().equals(ScreeningProgramme.CHILD_PREVENTIVE)) {
                    continue; // with the children's visits
                }
                int every = s.interval() == null ? YEARS_WITHOUT_INTERVAL : s.interval().getYears();
                // cohorts by the age reached in the year, the exact age on the day inside the group, and never before the
                // programme's interval since the last one (a cohort year apart can be less than the interval by date)
                boolean target = s.targets(p.sex.name(), ageInYear) && (ageInYear - s.minAge()) % every == 0
                        && s.targets(p.sex.name(), p.birthDate, d) && (last.get(s.code()) == null || !s.tooSoon(last.get(s.code()), d));
                if (target && r.nextDouble() < SCREENING_PARTICIPATION) {
                    encounter(t, r, d, "SCREENING", s.code(), List.of("Z13.8"), List.of("SCR-" + s.code()));
                    last.put(s.code(), d);
                }
            }
        }
    }

    private void observations(Timeline t, SplittableRandom r, LocalDate end) {
        Person p = t.person;
        for (int year = window.start().getYear(); year <= window.end().getYear(); year++) {
            LocalDate d = weekday(LocalDate.of(year, 1 + r.nextInt(12), 1 + r.nextInt(28)));
            if (d.isBefore(window.start()) || d.isAfter(end) || d.isAfter(window.end()) || p.ageOn(d) < 18) {
                continue;
            }
            if (r.nextDouble() < 0.45) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("code", "FLUOROGRAPHY");
                b.put("value", r.nextDouble() < 0.97 ? "NORMAL" : "PATHOLOGY");
                b.put("unit", null);
                b.put("effectiveAt", at(d, 11, r.nextInt(60)));
                t.events.add(new CareEvent(RecordType.OBSERVATION, t.spellOn(d).polyclinic().providerId(), at(d, 12, 0), b, null));
            }
            if (r.nextDouble() < 0.3) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("code", "HGB");
                b.put("value", String.valueOf((p.sex == Sex.M ? 130 : 118) + r.nextInt(30)));
                b.put("unit", "g/L");
                b.put("effectiveAt", at(d, 9, r.nextInt(60)));
                t.events.add(new CareEvent(RecordType.OBSERVATION, t.spellOn(d).polyclinic().providerId(), at(d, 14, 0), b, null));
            }
        }
    }

    /** Many people also pay for tests at a private laboratory chain, which reports through its own vendor's MIS. */
    private void privateLab(Timeline t, SplittableRandom r, LocalDate end) {
        Person p = t.person;
        LocalDate start = p.birthDate.isAfter(window.start()) ? p.birthDate : window.start();
        if (end.isBefore(start) || r.nextDouble() >= PRIVATE_LAB) {
            return;
        }
        List<String> providers = facilities.providers();
        String lab = providers.get(r.nextInt(providers.size()));
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            LocalDate d = randomDate(r, start, end);
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("code", r.nextBoolean() ? "HGB" : "GLUCOSE");
            b.put("value", b.get("code").equals("HGB") ? String.valueOf((p.sex == Sex.M ? 130 : 118) + r.nextInt(30))
                    : String.format(java.util.Locale.ROOT, "%.1f", 4.0 + r.nextDouble() * 3));
            b.put("unit", b.get("code").equals("HGB") ? "g/L" : "mmol/L");
            b.put("effectiveAt", at(d, 8, r.nextInt(60)));
            t.events.add(new CareEvent(RecordType.OBSERVATION, lab, at(d, 13, 0), b, null));
        }
    }

    private void immunizations(Timeline t, SplittableRandom r, LocalDate end) {
        Person p = t.person;
        for (Dose dose : CALENDAR) {
            LocalDate d = p.birthDate.plusDays(dose.ageDays());
            if (dose.ageDays() > 30) {
                d = weekday(d.plusDays(r.nextInt(14)));
            }
            if (d.isBefore(window.start()) || d.isAfter(end) || d.isAfter(window.end()) || r.nextDouble() < 0.05) {
                continue; // outside the window, or refused (about 5 % per dose)
            }
            // birth doses are given in the maternity hospital, the rest in the polyclinic
            String provider = dose.ageDays() < 7 ? facilities.hospitals(p.household.region).get(0).providerId()
                    : t.spellOn(d).polyclinic().providerId();
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("vaccine", dose.vaccine());
            b.put("dose", dose.dose());
            b.put("date", d.toString());
            t.events.add(new CareEvent(RecordType.IMMUNIZATION, provider, at(d, 10, 30), b, null));
            if (dose.ageDays() >= 7) {
                encounter(t, r, d, "VACCINATION", null, List.of("Z27.8"), List.of("VAC-" + dose.vaccine()));
            }
        }
    }

    private void exams(Timeline t, SplittableRandom r, LocalDate end, boolean neverVisits) {
        Person p = t.person;
        for (int year = window.start().getYear(); year <= window.end().getYear(); year++) {
            int ageInYear = year - p.birthDate.getYear();
            List<String> purposes = new ArrayList<>();
            if (ageInYear == 3 && r.nextDouble() < 0.5) {
                purposes.add("KINDERGARTEN");
            }
            if (ageInYear == 6 && r.nextDouble() < 0.9) {
                purposes.add("SCHOOL");
            }
            if (ageInYear == 17 && r.nextDouble() < 0.6) {
                purposes.add("STUDY");
            }
            // people who never visit still come for a certificate they need (none of these count as visits)
            if (ageInYear >= 18 && ageInYear <= 70 && r.nextDouble() < (neverVisits ? 0.03 : 0.06)) {
                purposes.add("DRIVER");
            }
            if (ageInYear >= 18 && ageInYear <= 62 && r.nextDouble() < (neverVisits ? 0.04 : 0.08)) {
                purposes.add("EMPLOYMENT");
            }
            for (String purpose : purposes) {
                LocalDate d = weekday(LocalDate.of(year, 1 + r.nextInt(12), 1 + r.nextInt(28)));
                if (d.isBefore(window.start()) || d.isAfter(end) || d.isAfter(window.end()) || d.isBefore(p.birthDate)) {
                    continue;
                }
                Timeline.Spell s = t.spellOn(d);
                double c = r.nextDouble();
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("purpose", purpose);
                b.put("conclusion", c < 0.93 ? "FIT" : c < 0.98 ? "FIT_WITH_RESTRICTIONS" : "UNFIT");
                b.put("date", d.toString());
                b.put("doctorId", s.polyclinic().doctorIds().get(r.nextInt(s.polyclinic().doctorIds().size())));
                b.put("facilityBin", s.polyclinic().bin());
                t.events.add(new CareEvent(RecordType.EXAM, s.polyclinic().providerId(), at(d, 15, 0), b, null));
            }
        }
    }

    private void dispensary(Timeline t, SplittableRandom r, LocalDate end) {
        Person p = t.person;
        if (p.ageOn(window.end()) < 18) {
            return;
        }
        Hospital dispensary = facilities.hospitals(p.household.region).get(0);
        double[] rates = {0.012, p.sex == Sex.M ? 0.015 : 0.003, 0.0015};
        String[] registers = {"PSYCHIATRIC", "NARCOLOGICAL", "TB"};
        for (int i = 0; i < registers.length; i++) {
            if (r.nextDouble() >= rates[i]) {
                continue;
            }
            LocalDate earliest = p.birthDate.plusYears(18);
            LocalDate from = earliest.isAfter(window.start().minusYears(5)) ? earliest : window.start().minusYears(5);
            LocalDate registered = randomDate(r, from, end);
            dispensaryEvent(t, dispensary, registers[i], "REGISTERED", registered);
            if (r.nextDouble() < 0.2 && registered.isBefore(end)) {
                LocalDate off = randomDate(r, registered.plusDays(1), end);
                if (!off.isBefore(window.start())) {
                    dispensaryEvent(t, dispensary, registers[i], "DEREGISTERED", off);
                }
            }
        }
    }

    private void dispensaryEvent(Timeline t, Hospital h, String register, String status, LocalDate d) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("register", register);
        b.put("status", status);
        b.put("date", d.toString());
        t.events.add(new CareEvent(RecordType.DISPENSARY, h.providerId(), at(d, 11, 0), b, null));
    }

    private void hospitalizations(Timeline t, SplittableRandom r, LocalDate end) {
        Person p = t.person;
        LocalDate start = p.birthDate.isAfter(window.start()) ? p.birthDate : window.start();
        if (end.isBefore(start)) {
            return;
        }
        int age = p.ageOn(window.end());
        double perYear = age < 5 ? 0.12 : age < 18 ? 0.05 : age < 60 ? 0.07 : 0.18;
        int n = poisson(r, perYear * ChronoUnit.DAYS.between(start, end) / 365.0);
        List<Hospital> hs = facilities.hospitals(p.household.region);
        LocalDate busyUntil = start.minusDays(1);
        for (int i = 0; i < n; i++) {
            LocalDate admitted = randomDate(r, start, end);
            int los = 2 + Math.min(20, (int) (-Math.log(1 - r.nextDouble()) * 5));
            LocalDate discharged = admitted.plusDays(los);
            if (!admitted.isAfter(busyUntil) || discharged.isAfter(end)) {
                continue; // no overlapping stays; a stay still open at the window end is not reported yet
            }
            busyUntil = discharged;
            Hospital h = hs.get(r.nextInt(hs.size()));
            t.stays.add(new Timeline.Stay(h, admitted, discharged));
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("facilityBin", h.bin());
            b.put("admittedAt", at(admitted, 1 + r.nextInt(22), r.nextInt(60)));
            b.put("dischargedAt", at(discharged, 11, r.nextInt(60)));
            t.events.add(new CareEvent(RecordType.HOSPITALIZATION, h.providerId(), at(discharged, 16, 0), b, null));
        }
    }

    /**
     * Adds an outpatient encounter at the polyclinic the person is attached to on that day, in a free slot of the
     * doctor; skipped (as a real booking would be) while the person is in hospital, when the same service is already
     * booked for them that day, or when the doctor's day is full.
     */
    private void encounter(Timeline t, SplittableRandom r, LocalDate d, String kind, String screening, List<String> diagnoses,
                           List<String> services) {
        for (Timeline.Stay stay : t.stays) {
            if (!d.isBefore(stay.admitted()) && !d.isAfter(stay.discharged())) {
                return;
            }
        }
        if (!t.serviceDays.add(d.toEpochDay() + "|" + services)) {
            return;
        }
        Timeline.Spell s = t.spellOn(d);
        String doctor = r.nextDouble() < 0.8 ? s.districtDoctor() : doctor(s.polyclinic(), r);
        OffsetDateTime start = schedule.book(doctor, d, r);
        if (start == null) {
            return;
        }
        t.events.add(new CareEvent(RecordType.ENCOUNTER, s.polyclinic().providerId(), start,
                encounterBlock(null, s.polyclinic().bin(), doctor, start, start.plusMinutes(15), kind, screening, diagnoses, services),
                null));
    }

    /** An encounter block in API.md field order; the encounter id is assigned when the record is rendered. */
    public static Map<String, Object> encounterBlock(String encounterId, String bin, String doctor, OffsetDateTime start,
                                                     OffsetDateTime end, String kind, String screening, List<String> diagnoses,
                                                     List<String> services) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("encounterId", encounterId);
        b.put("polyclinicBin", bin);
        b.put("doctorId", doctor);
        b.put("start", start);
        b.put("end", end);
        b.put("kind", kind);
        if (screening != null) {
            b.put("screening", screening);
        }
        b.put("diagnoses", diagnoses);
        b.put("services", services);
        b.put("referral", false);
        return b;
    }

    static String doctor(Polyclinic p, SplittableRandom r) {
        return p.doctorIds().get(r.nextInt(p.doctorIds().size()));
    }

    public static OffsetDateTime at(LocalDate d, int hour, int minute) {
        return OffsetDateTime.of(d, LocalTime.of(hour, minute), KAZAKHSTAN);
    }

    public static LocalDate randomDate(SplittableRandom r, LocalDate from, LocalDate to) {
        long days = ChronoUnit.DAYS.between(from, to);
        return days <= 0 ? from : from.plusDays(r.nextLong(days + 1));
    }

    /** Polyclinics see planned patients on weekdays: a weekend date moves to the Monday after. */
    public static LocalDate weekday(LocalDate d) {
        return d.getDayOfWeek() == DayOfWeek.SATURDAY ? d.plusDays(2) : d.getDayOfWeek() == DayOfWeek.SUNDAY ? d.plusDays(1) : d;
    }

    static int poisson(SplittableRandom r, double mean) {
        double l = Math.exp(-mean);
        double p = 1;
        int k = 0;
        if (mean > 30) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
        }
        do {
            k++;
            p *= r.nextDouble();
        } while (p > l);
        return k - 1;
    }
}
