package kz.ehr.simulator.corruption;

/** The kinds of demographic errors a provider's MIS holds about a person. */
public enum Corruption {
    /** One wrong, missing or doubled letter, or Kazakh letters flattened to Russian ones (қ → к). */
    TYPO,
    /** Names written in Latin letters (ICAO passport style or the 2021 Kazakh Latin alphabet). */
    TRANSLITERATION,
    /** First and last name swapped. */
    SWAPPED_NAMES,
    MISSING_PATRONYMIC,
    MISSING_IIN,
    /** One IIN digit wrong (the checksum usually fails; sometimes it passes and the IIN belongs to someone else). */
    WRONG_IIN_DIGIT,
    /** Birth date with day and month swapped (only possible when the day is 12 or less and differs from the month). */
    DAY_MONTH_SWAP,
    /** A married woman still recorded under her maiden surname (only possible for women who changed it). */
    SURNAME_CHANGE
}
