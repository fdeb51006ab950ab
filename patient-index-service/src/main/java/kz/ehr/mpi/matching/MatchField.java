package kz.ehr.mpi.matching;

/** The fields Fellegi-Sunter compares, each with its agreement levels (0 = full agreement, last = disagreement). */
public enum MatchField {
    /** exact, one digit differs, two adjacent digits swapped, different */
    IIN(4),
    /** same stem, close (Jaro-Winkler ≥ 0.94), similar (≥ 0.85), different */
    LAST_NAME(4),
    FIRST_NAME(4),
    MIDDLE_NAME(4),
    /** exact, day and month swapped, one digit differs, different */
    BIRTH_DATE(4),
    /** agree, disagree */
    SEX(2),
    /** same number, different */
    PHONE(2),
    /** same tokens, mostly the same tokens, different */
    ADDRESS(3);

    public final int levels;

    MatchField(int levels) {
        this.levels = levels;
    }

    public int disagreement() {
        return levels - 1;
    }
}
