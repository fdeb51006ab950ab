package kz.ehr.billing.fraud;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Runs every rule; pure, so the same facts always give the same findings (re-screening is idempotent). */
public final class FraudScreen {
    public static final List<PersonRule> PERSON_RULES = List.of(new VisitAfterDeathRule(), new ScreeningOutsideTargetGroupRule(),
            new DuplicateServiceRule(), new VisitDuringHospitalStayRule(), new NotAttachedWithoutReferralRule(),
            new ScreeningIntervalRule(), new AttachedTwiceRule(), new GhostPatientRule());
    public static final List<DoctorDayRule> DOCTOR_DAY_RULES = List.of(new DoctorDailyCapRule(), new OverlappingSlotsRule(),
            new BurstBeforeMarkRule());

    /** Rules whose flag puts a person's whole monthly payment at stake, not only the no-visit penalty. */
    static final java.util.Set<String> WHOLE_PAYMENT_RULES = java.util.Set.of(AttachedTwiceRule.ID, GhostPatientRule.ID);

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

    /**
     * Whether a flag of this rule puts the person's whole monthly capitation at stake (a person who is paid twice or does
     * not exist), rather than the no-visit penalty a fake visit unlocks.
     */
    public static boolean stakesWholePayment(String ruleId) {
        return WHOLE_PAYMENT_RULES.contains(ruleId);
    }

    /** Rules over one doctor's day at every polyclinic (doctor ids that are national identifiers). */
    public static List<String> crossPolyclinicRuleIds() {
        return List.of(DoctorTwoPolyclinicsRule.ID);
    }

    public static List<String> doctorDayRuleIds() {
        return DOCTOR_DAY_RULES.stream().map(DoctorDayRule::id).toList();
    }

    /** Person-scoped findings for every visit of the person. */
    public List<Finding> screenPerson(PersonContext person) {
        List<Finding> out = new ArrayList<>();
        inOrder(person).forEach(s -> out.addAll(s.findings()));
        return out;
    }

    /** Every visit of the person screened, in (start, visitKey) order: the order {@link PersonScreening} needs. */
    public List<PersonScreening.Screened> inOrder(PersonContext person) {
        PersonScreening screening = new PersonScreening(policy, person);
        return person.visits().stream().sorted(DuplicateServiceRule.ORDER).map(screening::next).toList();
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
        inOrder(person).forEach(s -> {
            if (s.nearMark()) {
                out.add(s.visit().visitKey());
            }
        });
        return out;
    }
}
