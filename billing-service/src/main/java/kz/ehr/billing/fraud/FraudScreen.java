package kz.ehr.billing.fraud;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Runs every rule; pure, so the same facts always give the same findings (re-screening is idempotent). */
public final class FraudScreen {
    public static final List<PersonRule> PERSON_RULES = List.of(new VisitAfterDeathRule(), new ScreeningOutsideTargetGroupRule(),
            new DuplicateServiceRule(), new VisitDuringHospitalStayRule(), new NotAttachedWithoutReferralRule());
    public static final List<DoctorDayRule> DOCTOR_DAY_RULES = List.of(new DoctorDailyCapRule(), new OverlappingSlotsRule(),
            new BurstBeforeMarkRule());

    private final FraudPolicy policy;

    public FraudScreen(FraudPolicy policy) {
        this.policy = policy;
    }

    public FraudPolicy policy() {
        return policy;
    }

    public static List<String> personRuleIds() {
        return PERSON_RULES.stream().map(PersonRule::id).toList();
    }

    public static List<String> doctorDayRuleIds() {
        return DOCTOR_DAY_RULES.stream().map(DoctorDayRule::id).toList();
    }

    /** Person-scoped findings for every visit of the person. */
    public List<Finding> screenPerson(PersonContext person) {
        List<Finding> out = new ArrayList<>();
        for (ScreenedVisit v : person.visits()) {
            for (PersonRule rule : PERSON_RULES) {
                rule.check(v, person, policy).ifPresent(reason -> out.add(new Finding(v.visitKey(), rule.id(), reason)));
            }
        }
        return out;
    }

    public List<Finding> screenDoctorDay(DoctorDay day) {
        List<Finding> out = new ArrayList<>();
        for (DoctorDayRule rule : DOCTOR_DAY_RULES) {
            out.addAll(rule.check(day, policy));
        }
        return out;
    }

    /**
     * Visits of the person that came when the patient was long unseen and near the 12-month mark: the previous visit
     * (or, never seen, the attachment start) lies between {@code markMonths} and {@code nearMarkFromMonths} months back.
     */
    public Set<String> nearMarkVisits(PersonContext person) {
        Set<String> out = new HashSet<>();
        List<ScreenedVisit> sorted = person.visits().stream()
                .sorted(Comparator.comparing(ScreenedVisit::start).thenComparing(ScreenedVisit::visitKey)).toList();
        LocalDate previous = null;
        for (ScreenedVisit v : sorted) {
            LocalDate since = previous;
            if (since == null) {
                since = person.asHistory().attachmentOn(v.date()).map(a -> a.from()).orElse(null);
            }
            if (since != null && !since.isAfter(v.date().minusMonths(policy.nearMarkFromMonths()))
                    && since.isAfter(v.date().minusMonths(policy.markMonths()))) {
                out.add(v.visitKey());
            }
            if (previous == null || v.date().isAfter(previous)) {
                previous = v.date();
            }
        }
        return out;
    }
}
