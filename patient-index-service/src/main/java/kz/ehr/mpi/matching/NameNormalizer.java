package kz.ehr.mpi.matching;

/**
 * Comparison forms of the three name parts: the transliteration skeleton with gendered endings folded,
 * so that Ахметов/Ахметова/Akhmetova and Серикович/Сериковна/Serikovich compare equal.
 */
public final class NameNormalizer {
    private static final String[][] SURNAME_ENDINGS = {
            {"skaia", "ski"}, {"ckaia", "cki"}, {"ova", "ov"}, {"eva", "ev"}, {"ina", "in"}};
    private static final String[] PATRONYMIC_ENDINGS = {"ovna", "evna", "ovic", "evic", "uli", "kizi"};

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

    /** Patronymic: skeleton without the gendered suffix (-ович/-овна, Kazakh -ұлы/-қызы). */
    public static String patronymic(String raw) {
        String s = Transliteration.skeleton(raw);
        for (String ending : PATRONYMIC_ENDINGS) {
            if (s.length() > ending.length() + 2 && s.endsWith(ending)) {
                String stem = s.substring(0, s.length() - ending.length());
                if (ending.startsWith("o") || ending.startsWith("e")) {
                    // "-ovna"/"-ovic" share the "ov" stem with the father's name
                    return stem + ending.charAt(0) + "v";
                }
                // Серікұлы/Серікқызы: the doubled к of "-қызы" collapses, so drop the father's final k on both
                return stem.endsWith("k") ? stem.substring(0, stem.length() - 1) : stem;
            }
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
