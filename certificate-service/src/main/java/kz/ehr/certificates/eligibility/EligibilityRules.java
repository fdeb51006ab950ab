package kz.ehr.certificates.eligibility;

import java.time.LocalDate;
import java.time.Period;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a person can have a certificate of a type today. Every failing rule is reported, not
 * just the first, so that the citizen learns everything they must fix in one answer.
 */
public final class EligibilityRules {
    /**
     * The passport's summary lists (allergies, diseases, hospitalizations, check-ups) keep their most recent items so
     * the token stays small. Immunizations are never capped: a vaccination card that drops doses is wrong, and the
     * printed document splits a long token over several QR codes instead (rendering.QrCodes).
     */
    static final int MAX_LIST_ITEMS = 25;

    private final EligibilityPolicy policy;

    public EligibilityRules(EligibilityPolicy policy) {
        this.policy = policy;
    }

    public Decision evaluate(CertificateType type, PersonFacts person, LocalDate today) {
        List<Ineligibility> reasons = new ArrayList<>();
        if (person.eventCount() == 0) {
            reasons.add(new Ineligibility("PERSON_UNKNOWN", "the record holds nothing about this IIN"));
            return new Decision(type, reasons, null, null, null, null, Map.of());
        }
        if (person.deathDate() != null) {
            reasons.add(new Ineligibility("PATIENT_DECEASED", "the record says the person died on " + person.deathDate()));
        }
        LocalDate expires = today.plus(policy.validityOf(type));
        String conclusion = "NOT_REGISTERED";
        String facilityBin = null;
        String doctorId = null;

        if (type.childOnly) {
            if (person.birthDate() == null) {
                reasons.add(new Ineligibility("BIRTH_DATE_UNKNOWN", "the record has no birth date to confirm the person is a child"));
            } else if (!today.isBefore(person.birthDate().plusYears(policy.childMaxAgeYears()))) {
                reasons.add(new Ineligibility("NOT_A_CHILD", type.form + " is for persons under " + policy.childMaxAgeYears()));
            } else {
                // a child's document stops being valid when the child comes of age
                expires = min(expires, person.birthDate().plusYears(policy.childMaxAgeYears()));
            }
        }

        Set<String> purposes = policy.examPurposesOf(type);
        if (!purposes.isEmpty()) {
            Optional<PersonFacts.Exam> latest = latestExam(person, purposes, today);
            Period window = policy.examWindowOf(type);
            if (latest.isEmpty()) {
                reasons.add(new Ineligibility("EXAM_MISSING", "no exam conclusion for purpose " + String.join(" or ", sorted(purposes))));
            } else {
                PersonFacts.Exam exam = latest.get();
                if ("UNFIT".equals(exam.conclusion())) {
                    reasons.add(new Ineligibility("EXAM_UNFIT", "the latest " + exam.purpose() + " exam of " + exam.date() + " concluded UNFIT"));
                } else if (!today.isBefore(exam.date().plus(window))) {
                    reasons.add(new Ineligibility("EXAM_EXPIRED", "the latest " + exam.purpose() + " exam of " + exam.date()
                            + " is older than " + window));
                } else {
                    expires = min(expires, exam.date().plus(window));
                    conclusion = exam.conclusion();
                    facilityBin = exam.facilityBin();
                    doctorId = exam.doctorId();
                }
            }
        }

        for (DispensaryRegister register : type.blockingRegisters) {
            Optional<PersonFacts.Registration> active = activeRegistration(person, register, today);
            if (active.isPresent()) {
                reasons.add(new Ineligibility(register.registeredCode(), "registered on the " + register
                        + " dispensary register since " + active.get().date()));
            }
        }

        if (policy.needsFluorography(type)) {
            Optional<PersonFacts.Observation> fluorography = latestFluorography(person, today);
            if (fluorography.isEmpty()) {
                reasons.add(new Ineligibility("FLUOROGRAPHY_MISSING", "no fluorography in the record"));
            } else if (!today.isBefore(fluorography.get().date().plus(policy.fluorographyWindow()))) {
                reasons.add(new Ineligibility("FLUOROGRAPHY_EXPIRED", "the latest fluorography of " + fluorography.get().date()
                        + " is older than " + policy.fluorographyWindow()));
            } else if (policy.abnormal(fluorography.get())) {
                reasons.add(new Ineligibility("FLUOROGRAPHY_ABNORMAL", "the latest fluorography of " + fluorography.get().date()
                        + " is not normal"));
            } else {
                expires = min(expires, fluorography.get().date().plus(policy.fluorographyWindow()));
            }
        }

        if (type.needsImmunizations && person.immunizations().isEmpty()) {
            reasons.add(new Ineligibility("IMMUNIZATIONS_MISSING", "the record holds no immunization"));
        }

        if (!reasons.isEmpty()) {
            return new Decision(type, List.copyOf(reasons), null, null, null, null, Map.of());
        }
        if (type == CertificateType.F063) {
            conclusion = "VACCINATIONS";
        } else if (type == CertificateType.F052) {
            conclusion = "HEALTH_PASSPORT";
        }
        return new Decision(type, List.of(), expires, conclusion, facilityBin, doctorId, content(type, person, today));
    }

    /**
     * The latest exam of one of these purposes dated on or before {@code upTo}: the one that decides. Of two on the same
     * day the one that happened later (the facts come in order of occurrence) decides, so a second opinion the same
     * day overrules the first.
     */
    public static Optional<PersonFacts.Exam> latestExam(PersonFacts person, Set<String> purposes, LocalDate upTo) {
        return person.exams().stream()
                .filter(e -> purposes.contains(e.purpose()) && e.date() != null && !e.date().isAfter(upTo))
                .reduce((a, b) -> b.date().isBefore(a.date()) ? a : b);
    }

    /** The latest fluorography dated on or before {@code upTo}: the one that decides (same day: the later one). */
    public static Optional<PersonFacts.Observation> latestFluorography(PersonFacts person, LocalDate upTo) {
        return person.observations().stream()
                .filter(o -> "FLUOROGRAPHY".equals(o.code()) && o.date() != null && !o.date().isAfter(upTo))
                .reduce((a, b) -> b.date().isBefore(a.date()) ? a : b);
    }

    /** The latest status on a register decides; a registration dated in the future does not count yet. */
    public static Optional<PersonFacts.Registration> activeRegistration(PersonFacts person, DispensaryRegister register, LocalDate today) {
        return person.registrations().stream()
                .filter(r -> r.register() == register && !r.date().isAfter(today))
                .max(Comparator.comparing(PersonFacts.Registration::date))
                .filter(PersonFacts.Registration::registered);
    }

    private Map<String, Object> content(CertificateType type, PersonFacts person, LocalDate today) {
        Map<String, Object> c = new LinkedHashMap<>();
        switch (type) {
            case F063 -> c.put("immunizations", immunizations(person));
            case F052 -> {
                if (person.birthDate() != null) {
                    c.put("birthDate", person.birthDate().toString());
                }
                person.attachments().stream()
                        .filter(a -> !a.from().isAfter(today) && (a.to() == null || !a.to().isBefore(today)))
                        .max(Comparator.comparing(PersonFacts.Attachment::from))
                        .ifPresent(a -> c.put("polyclinic", a.polyclinicBin()));
                latestValue(person, "BLOOD_GROUP").ifPresent(v -> c.put("bloodGroup", v));
                c.put("allergies", cap(person.observations().stream().filter(o -> "ALLERGY".equals(o.code()) && o.value() != null)
                        .map(PersonFacts.Observation::value).distinct().sorted().toList()));
                c.put("diseases", cap(person.encounters().stream().flatMap(e -> e.diagnoses().stream()).distinct().sorted().toList()));
                c.put("hospitalizations", cap(person.hospitalizations().stream()
                        .sorted(Comparator.comparing(PersonFacts.Hospitalization::admitted))
                        .map(h -> h.admitted() + (h.discharged() == null ? "" : "/" + h.discharged())).toList()));
                c.put("checkups", cap(person.encounters().stream().filter(e -> "SCREENING".equals(e.kind()))
                        .map(e -> e.date().toString()).distinct().sorted().toList()));
                c.put("immunizations", immunizations(person));
            }
            default -> {
                if (!type.blockingRegisters.isEmpty()) {
                    c.put("notRegistered", sorted(type.blockingRegisters.stream().map(Enum::name).toList()));
                }
            }
        }
        return c;
    }

    private static List<String> immunizations(PersonFacts person) {
        return (person.immunizations().stream().sorted(Comparator.comparing(PersonFacts.Immunization::date))
                .map(i -> i.date() + " " + i.vaccine() + (i.dose() == null ? "" : " #" + i.dose())).toList());
    }

    private static Optional<String> latestValue(PersonFacts person, String code) {
        return person.observations().stream().filter(o -> code.equals(o.code()) && o.value() != null && o.date() != null)
                .max(Comparator.comparing(PersonFacts.Observation::date)).map(PersonFacts.Observation::value);
    }

    private static List<String> cap(List<String> items) {
        // keep the most recent items: lists are sorted oldest first
        return items.size() <= MAX_LIST_ITEMS ? items : items.subList(items.size() - MAX_LIST_ITEMS, items.size());
    }

    private static List<String> sorted(java.util.Collection<String> items) {
        return items.stream().sorted().toList();
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }
}
