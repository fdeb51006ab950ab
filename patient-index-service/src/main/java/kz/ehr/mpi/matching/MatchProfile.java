package kz.ehr.mpi.matching;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;

import kz.ehr.identity.Iin;

/**
 * A source record's demographics prepared once for many comparisons: name comparison forms, digits-only
 * phone, address tokens. Implausible values are dropped here so that they count as missing, never as evidence.
 */
public final class MatchProfile {
    /** Birth dates before this are data errors, not people. */
    public static final LocalDate EARLIEST_BIRTH = LocalDate.of(1890, 1, 1);

    public final Demographics raw;
    public final String iin;
    public final boolean iinValid;
    public final String last;
    /** The surname as a plain skeleton (no ending folding), for comparing it crosswise with a first name. */
    public final String lastSkeleton;
    public final String first;
    public final String middle;
    public final LocalDate birthDate;
    public final String birthDigits;
    public final String sex;
    public final String phone;
    /** The mother's IIN on a newborn's record (12 digits, else null): a block and the newborn rules of the matcher. */
    public final String motherIin;
    // blocking keys: every loaded candidate is indexed by them, so they are built once
    private final String nameKey;
    private final String birthKey;
    private final String swappedBirthKey;
    private final String swappedNameKey;
    private String[] addressTokens;
    private boolean addressDone;

    private MatchProfile(Demographics d, LocalDate latestBirth) {
        this.raw = d;
        String digits = digitsOf(d.iin());
        this.iin = digits.length() == 12 ? digits : null;
        this.iinValid = Iin.isValid(iin);
        this.last = emptyToNull(NameNormalizer.surname(d.lastName()));
        this.lastSkeleton = emptyToNull(Transliteration.skeleton(d.lastName()));
        this.first = emptyToNull(NameNormalizer.givenName(d.firstName()));
        this.middle = emptyToNull(NameNormalizer.patronymic(d.middleName()));
        LocalDate b = d.birthDate();
        this.birthDate = b == null || b.isBefore(EARLIEST_BIRTH) || b.isAfter(latestBirth) ? null : b;
        this.birthDigits = birthDate == null ? null : birthDate.toString().replace("-", "");
        String s = d.sex() == null ? null : d.sex().trim().toUpperCase(Locale.ROOT);
        this.sex = "M".equals(s) || "F".equals(s) ? s : null;
        String p = digitsOf(d.phone());
        this.phone = p.length() >= 10 ? p.substring(p.length() - 10) : null;
        String mother = digitsOf(d.motherIin());
        this.motherIin = mother.length() == 12 && !mother.equals(iin) ? mother : null;
        Integer year = birthDate == null ? null : birthDate.getYear();
        String date = birthDate == null ? null : birthDate.toString();
        this.nameKey = NameNormalizer.nameKey(last, year, first);
        this.birthKey = date == null ? null : date + "|" + NameNormalizer.givenKey(first);
        this.swappedBirthKey = date == null || lastSkeleton == null ? null : date + "|" + NameNormalizer.givenKey(lastSkeleton);
        this.swappedNameKey = NameNormalizer.nameKey(first, year, lastSkeleton);
    }

    /** Address tokens (skeletons and house numbers), computed on first use: most profiles are never compared on it. */
    public String[] addressTokens() {
        if (!addressDone) {
            String a = raw.address();
            addressTokens = a == null ? null : Arrays.stream(a.split("[^\\p{L}\\p{N}]+"))
                    .map(t -> t.chars().allMatch(Character::isDigit) ? t : Transliteration.skeleton(t))
                    .filter(t -> t.length() >= 2 || (!t.isEmpty() && Character.isDigit(t.charAt(0))))
                    .distinct().sorted().toArray(String[]::new);
            addressDone = true;
        }
        return addressTokens;
    }

    /** @param referenceDate when the record was made; a birth date after it is implausible */
    public static MatchProfile of(Demographics d, LocalDate referenceDate) {
        return new MatchProfile(d, referenceDate);
    }

    /** The digits of a value ("" for null): a plain loop, this runs for every candidate of every batch. */
    static String digitsOf(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch >= '0' && ch <= '9') {
                sb.append(ch);
            }
        }
        return sb.length() == value.length() ? value : sb.toString();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Nothing to match on: no IIN and no name at all. */
    public boolean unidentifiable() {
        return iin == null && last == null && first == null;
    }

    public Integer birthYear() {
        return birthDate == null ? null : birthDate.getYear();
    }

    /** Blocking key in the record's own orientation. */
    public String nameKey() {
        return nameKey;
    }

    /** Blocking key: birth date and the start of the first name (robust to surname changes and IIN typos). */
    public String birthKey() {
        return birthKey;
    }

    /** The birth key as if first and last name were swapped. */
    public String swappedBirthKey() {
        return swappedBirthKey;
    }

    /** Blocking key as if first and last name were swapped. */
    public String swappedNameKey() {
        return swappedNameKey;
    }
}
