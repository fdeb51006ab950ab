package kz.ehr.screening;

import java.time.LocalDate;
import java.time.Period;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A screening programme (DOMAIN.md "Screening programmes"): whom it targets (sex, null = both; ages inclusive, the age
 * on the day), how often one is due ({@code interval}: at most one per interval, and due again once it has passed; null
 * = no interval stated) and from when this version applies (dated configuration). The one table of these rules: ingestion
 * takes its codes as the valid {@code encounter.screening} values, billing's fraud monitor and outreach lists its groups
 * and intervals, the simulator generates care that keeps to them.
 */
public record ScreeningProgramme(String code, String sex, int minAge, int maxAge, Period interval, LocalDate effectiveFrom) {
    /** The children's annual preventive exam (профилактический осмотр), an encounter of kind SCREENING with this code. */
    public static final String CHILD_PREVENTIVE = "CHILD_PREVENTIVE";
    /** The programmes' versions in force since this day unless configured otherwise. */
    public static final LocalDate SINCE = LocalDate.of(2000, 1, 1);

    /**
     * DOMAIN.md's programmes. Blood pressure / heart disease / diabetes (CARDIO) and glaucoma have a target group but no
     * interval there, so none is assumed (configuration can set one); breast every 2 years, cervical every 4, colorectal
     * every 2; children (under 18) a preventive exam every year.
     */
    public static final List<ScreeningProgramme> DOMAIN = List.of(
            new ScreeningProgramme("CARDIO", null, 40, 70, null, SINCE),
            new ScreeningProgramme("GLAUCOMA", null, 40, 70, null, SINCE),
            new ScreeningProgramme("BREAST", "F", 40, 70, Period.ofYears(2), SINCE),
            new ScreeningProgramme("CERVICAL", "F", 30, 70, Period.ofYears(4), SINCE),
            new ScreeningProgramme("COLORECTAL", null, 50, 70, Period.ofYears(2), SINCE),
            new ScreeningProgramme(CHILD_PREVENTIVE, null, 0, 17, Period.ofYears(1), SINCE));

    /** The codes a provider may send as {@code encounter.screening}. */
    public static Set<String> domainCodes() {
        Set<String> codes = new TreeSet<>();
        DOMAIN.forEach(p -> codes.add(p.code()));
        return codes;
    }

    /** Full years on {@code on}: someone born on 29 February turns a year older on 1 March in other years. */
    public static int ageOn(LocalDate birthDate, LocalDate on) {
        return Period.between(birthDate, on).getYears();
    }

    /** The version of {@code code} in force on {@code on} (the latest effective one), if any. */
    public static Optional<ScreeningProgramme> inForce(List<ScreeningProgramme> programmes, String code, LocalDate on) {
        return programmes.stream().filter(p -> p.code().equals(code) && !p.effectiveFrom().isAfter(on))
                .max(Comparator.comparing(ScreeningProgramme::effectiveFrom));
    }

    public boolean targets(String personSex, int age) {
        return (sex == null || sex.equals(personSex)) && age >= minAge && age <= maxAge;
    }

    /** Whether a person of this sex born then is in the target group on {@code on}. */
    public boolean targets(String personSex, LocalDate birthDate, LocalDate on) {
        return birthDate != null && targets(personSex, ageOn(birthDate, on));
    }

    /**
     * The first day the next screening is due after one on {@code last}: the same day {@code interval} later (from
     * 29 February, 28 February of a common year). Null when the programme has no interval.
     */
    public LocalDate nextDue(LocalDate last) {
        return interval == null ? null : last.plus(interval);
    }

    /** A screening on {@code date} came before the interval since the one on {@code previous} had passed. */
    public boolean tooSoon(LocalDate previous, LocalDate date) {
        return interval != null && date.isBefore(nextDue(previous));
    }

    /**
     * Due on {@code asOf}: in the target group that day, and never screened ({@code last} null) or screened last at
     * least one interval before. A programme without an interval is never due by it.
     */
    public boolean dueOn(String personSex, LocalDate birthDate, LocalDate last, LocalDate asOf) {
        return interval != null && targets(personSex, birthDate, asOf) && (last == null || !asOf.isBefore(nextDue(last)));
    }

    /** e.g. "women 30–70, every 4 years" — for reasons a person reads. */
    public String describe() {
        String who = (sex == null ? "" : "F".equals(sex) ? "women " : "men ") + minAge + "–" + maxAge;
        if (interval == null) {
            return who;
        }
        return who + ", every " + (interval.equals(Period.ofYears(1)) ? "year" : interval.getYears() > 0 && interval.getMonths() == 0
                && interval.getDays() == 0 ? interval.getYears() + " years" : interval.toString());
    }
}
