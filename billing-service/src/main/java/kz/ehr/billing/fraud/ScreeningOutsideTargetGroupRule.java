package kz.ehr.billing.fraud;

import java.util.Optional;

import kz.ehr.billing.capitation.AgeBand;

/** A screening booked for a person outside its sex/age group (e.g. cervical screening for a man). */
public final class ScreeningOutsideTargetGroupRule implements PersonRule {
    public static final String ID = "SCREENING_OUTSIDE_TARGET_GROUP";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Optional<String> check(ScreenedVisit visit, PersonContext person, FraudPolicy policy) {
        if (!"SCREENING".equals(visit.kind()) || visit.screening() == null || person.birthDate() == null || person.sex() == null) {
            return Optional.empty();
        }
        return policy.programme(visit.screening(), visit.date()).flatMap(p -> {
            int age = AgeBand.ageOn(person.birthDate(), visit.date());
            if (p.targets(person.sex(), age)) {
                return Optional.empty();
            }
            String group = (p.sex() == null ? "" : ("F".equals(p.sex()) ? "women " : "men ")) + p.minAge() + "–" + p.maxAge();
            return Optional.of(visit.screening() + " screening on " + visit.date() + " for a " + ("F".equals(person.sex()) ? "woman" : "man")
                    + " aged " + age + "; the programme targets " + group + ".");
        });
    }
}
