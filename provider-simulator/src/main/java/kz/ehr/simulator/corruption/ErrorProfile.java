package kz.ehr.simulator.corruption;

import java.util.EnumMap;
import java.util.Map;

/**
 * A provider's error rates: the probability that its record of a person carries each kind of error. Rates of
 * kinds that are not always possible (day-month swap, surname change) apply to the people for whom they are.
 */
public record ErrorProfile(Map<Corruption, Double> rates) {
    public ErrorProfile {
        rates = Map.copyOf(rates);
    }

    public double rate(Corruption c) {
        return rates.getOrDefault(c, 0.0);
    }

    public ErrorProfile scaled(double factor) {
        Map<Corruption, Double> m = new EnumMap<>(Corruption.class);
        rates.forEach((k, v) -> m.put(k, Math.min(1.0, v * factor)));
        return new ErrorProfile(m);
    }

    /** A careful big vendor, a sloppy regional one, and a Latin-script one; other providers take the middle one. */
    public static ErrorProfile defaultFor(String providerId) {
        return switch (providerId) {
            case "damumed" -> of(0.03, 0.00, 0.01, 0.05, 0.01, 0.005, 0.01, 0.30);
            case "kmis" -> of(0.06, 0.05, 0.03, 0.15, 0.03, 0.02, 0.02, 0.40);
            case "medelement" -> of(0.04, 0.25, 0.02, 0.10, 0.02, 0.01, 0.01, 0.30);
            default -> of(0.04, 0.05, 0.02, 0.10, 0.02, 0.01, 0.01, 0.30);
        };
    }

    public static ErrorProfile of(double typo, double translit, double swap, double missingPatronymic, double missingIin,
                                  double wrongIinDigit, double dayMonthSwap, double surnameChange) {
        Map<Corruption, Double> m = new EnumMap<>(Corruption.class);
        m.put(Corruption.TYPO, typo);
        m.put(Corruption.TRANSLITERATION, translit);
        m.put(Corruption.SWAPPED_NAMES, swap);
        m.put(Corruption.MISSING_PATRONYMIC, missingPatronymic);
        m.put(Corruption.MISSING_IIN, missingIin);
        m.put(Corruption.WRONG_IIN_DIGIT, wrongIinDigit);
        m.put(Corruption.DAY_MONTH_SWAP, dayMonthSwap);
        m.put(Corruption.SURNAME_CHANGE, surnameChange);
        return new ErrorProfile(m);
    }
}
