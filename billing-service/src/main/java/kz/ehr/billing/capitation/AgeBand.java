package kz.ehr.billing.capitation;

import java.time.LocalDate;
import java.time.Period;

/** The age bands of the sex-age coefficient table (DOMAIN.md): full years on the billing date. */
public enum AgeBand {
    UNDER_1(0, 0), AGE_1_4(1, 4), AGE_5_9(5, 9), AGE_10_14(10, 14), AGE_15_19(15, 19), AGE_20_29(20, 29),
    AGE_30_39(30, 39), AGE_40_49(40, 49), AGE_50_59(50, 59), AGE_60_69(60, 69), AGE_70_PLUS(70, Integer.MAX_VALUE);

    public final int fromYears;
    public final int toYears;

    AgeBand(int fromYears, int toYears) {
        this.fromYears = fromYears;
        this.toYears = toYears;
    }

    public static int ageOn(LocalDate birthDate, LocalDate on) {
        return Period.between(birthDate, on).getYears();
    }

    public static AgeBand of(LocalDate birthDate, LocalDate on) {
        int age = Math.max(0, ageOn(birthDate, on));
        for (AgeBand b : values()) {
            if (age >= b.fromYears && age <= b.toYears) {
                return b;
            }
        }
        return AGE_70_PLUS;
    }
}
