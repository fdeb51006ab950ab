package kz.ehr.mpi.matching;

/**
 * Comparison forms of the three name parts: the transliteration skeleton with gendered endings folded,
 * so that Ахметов/Ахметова/Akhmetova and Серикович/Сериковна/Serikovich/Серікұлы/Серікқызы compare equal.
 */
public final class NameNormalizer {
    private static final String[][] SURNAME_ENDINGS = {
            {"skaia", "ski"}, {"ckaia", "cki"}, {"ova", "ov"}, {"eva", "ev"}, {"ina", "in"}};
    /**
     * Gendered patronymic endings in skeleton form, longest first: Russian -ович/-евич/-овна/-евна, -инична (Ильинична,
     * Фоминична: masculine Ильич, Фомич), -ична (Никитична), -ич; Kazakh -ұлы / -қызы.
     */
    private static final String[] PATRONYMIC_ENDINGS = {"inicna", "icna", "ovna", "evna", "ovic", "evic", "kizi", "uli", "ic"};
    private static final String VOWELS = "aeiou";

    private NameNormalizer() {
    }

    /** Surname: skeleton with the feminine ending folded to the masculine one. */
    public static String surname(String raw) {
        String s = Transliteration.skeleton(raw);
        for (String[] ending : SURNAME_ENDINGS) {
            if (s.length() > ending[0].length() + 2 && s.endsWith(ending[0])) {
                return s.substring(0, s.length() - ending[0].length()) + ending[1];
            }
        }
        return s;
    }

    public static String givenName(String raw) {
        return Transliteration.skeleton(raw);
    }

    /**
     * Patronymic: the father's name it is built on, so that the Russian and Kazakh forms of one patronymic, of either
     * sex, compare equal (Серикович, Сериковна, Серікұлы, Серікқызы; Оралбаевич and Оралбайұлы; Никитич and
     * Никитична). The gendered ending goes; then a final k (the doubled к of Серік+қызы collapses in the skeleton,
     * so it is dropped on every form) and a final й after a vowel (Оралбай+ұлы vs Оралба+евич). A value without a
     * known ending is kept whole.
     */
    public static String patronymic(String raw) {
        String s = Transliteration.skeleton(raw);
        for (String ending : PATRONYMIC_ENDINGS) {
            if (s.length() >= ending.length() + 2 && s.endsWith(ending)) {
                return fatherName(s.substring(0, s.length() - ending.length()));
            }
        }
        return s;
    }

    private static String fatherName(String stem) {
        String s = stem;
        if (s.length() > 2 && s.endsWith("k")) {
            s = s.substring(0, s.length() - 1);
        }
        if (s.length() > 2 && s.endsWith("i") && VOWELS.indexOf(s.charAt(s.length() - 2)) >= 0) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /**
     * Blocking key from a surname, birth year and the start of the first name: four skeleton letters are robust to
     * endings and most typos; three letters of the first name keep blocks of common surnames small (an initial
     * alone lumps Айгуль, Асель, Алия and Айжан together).
     */
    public static String nameKey(String surnameForm, Integer birthYear, String givenForm) {
        if (surnameForm == null || surnameForm.isEmpty()) {
            return null;
        }
        String prefix = surnameForm.length() > 4 ? surnameForm.substring(0, 4) : surnameForm;
        return prefix + "|" + (birthYear == null ? "?" : birthYear) + "|" + givenKey(givenForm);
    }

    /** The first-name part of the blocking keys: its first three skeleton letters, "?" when there is none. */
    public static String givenKey(String givenForm) {
        if (givenForm == null || givenForm.isEmpty()) {
            return "?";
        }
        return givenForm.length() > GIVEN_KEY_LETTERS ? givenForm.substring(0, GIVEN_KEY_LETTERS) : givenForm;
    }

    private static final int GIVEN_KEY_LETTERS = 3;
}
