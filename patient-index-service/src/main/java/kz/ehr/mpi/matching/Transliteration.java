package kz.ehr.mpi.matching;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Folds a name written in Cyrillic (Russian and Kazakh letters) or in any of the Latin schemes seen in
 * provider data (passport ICAO 9303, the Kazakh Latin alphabets of 2017/2018/2021, ad-hoc spellings) to
 * one lower-case ASCII skeleton, so that "Жұмабек", "Zhumabek", "Jumabek" and "Žumabek" agree.
 * The skeleton is deliberately lossy (ц/ч, и/ы/й and doubled letters collapse): it is a comparison key,
 * never shown to anyone.
 */
public final class Transliteration {
    private static final Map<Character, String> CYRILLIC = Map.ofEntries(
            Map.entry('а', "a"), Map.entry('ә', "a"), Map.entry('б', "b"), Map.entry('в', "v"), Map.entry('г', "g"),
            Map.entry('ғ', "g"), Map.entry('д', "d"), Map.entry('е', "e"), Map.entry('ё', "e"), Map.entry('ж', "zh"),
            Map.entry('з', "z"), Map.entry('и', "i"), Map.entry('й', "i"), Map.entry('і', "i"), Map.entry('к', "k"),
            Map.entry('қ', "k"), Map.entry('л', "l"), Map.entry('м', "m"), Map.entry('н', "n"), Map.entry('ң', "n"),
            Map.entry('о', "o"), Map.entry('ө', "o"), Map.entry('п', "p"), Map.entry('р', "r"), Map.entry('с', "s"),
            Map.entry('т', "t"), Map.entry('у', "u"), Map.entry('ұ', "u"), Map.entry('ү', "u"), Map.entry('ф', "f"),
            Map.entry('х', "kh"), Map.entry('һ', "h"), Map.entry('ц', "ts"), Map.entry('ч', "ch"), Map.entry('ш', "sh"),
            Map.entry('щ', "shch"), Map.entry('ъ', ""), Map.entry('ы', "y"), Map.entry('ь', ""), Map.entry('э', "e"),
            Map.entry('ю', "iu"), Map.entry('я', "ia"));
    /** Latin letters with a meaning of their own in the Kazakh Latin alphabets, before diacritics are dropped. */
    private static final Map<Character, String> LATIN_SPECIAL = Map.ofEntries(
            Map.entry('ş', "sh"), Map.entry('š', "sh"), Map.entry('ç', "ch"), Map.entry('č', "ch"), Map.entry('ž', "zh"),
            Map.entry('ğ', "g"), Map.entry('ñ', "n"), Map.entry('ı', "i"), Map.entry('ä', "a"), Map.entry('ö', "o"),
            Map.entry('ü', "u"), Map.entry('q', "k"), Map.entry('w', "u"), Map.entry('x', "kh"),
            // the schwa of the Latin Kazakh of 1929–40 and of ad-hoc spellings (Əliya, Şəripov) is ә; NFD leaves it alone
            Map.entry('ə', "a"));
    /** Digraph and spelling-variant folds, applied in this order. */
    private static final String[][] FOLDS = {
            {"shch", "sh"}, {"sch", "sh"}, {"dzh", "zh"}, {"dj", "zh"}, {"zh", "j"}, {"kh", "h"}, {"tsh", "c"},
            {"ts", "c"}, {"tc", "c"}, {"ch", "c"}, {"yu", "iu"}, {"ju", "iu"}, {"ya", "ia"}, {"ja", "ia"},
            {"yo", "e"}, {"ye", "e"}, {"ie", "e"}, {"y", "i"}, {"ii", "i"}};

    private Transliteration() {
    }

    /**
     * Names repeat enormously across a population (a few thousand first names and patronymics, surnames shared by
     * families), and every candidate loaded for a batch needs the skeletons of its names: remember them. Bounded by
     * starting over when full, which keeps the common names and costs one recomputation each.
     */
    private static final int MEMO_LIMIT = 200_000;
    private static final Map<String, String> MEMO = new ConcurrentHashMap<>();

    /** The ASCII skeleton of one name, or "" when nothing letter-like is left. */
    public static String skeleton(String name) {
        if (name == null) {
            return "";
        }
        String known = MEMO.get(name);
        if (known != null) {
            return known;
        }
        String computed = compute(name);
        if (MEMO.size() >= MEMO_LIMIT) {
            MEMO.clear();
        }
        MEMO.put(name, computed);
        return computed;
    }

    private static String compute(String name) {
        String lower = Normalizer.normalize(name, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
        StringBuilder latin = new StringBuilder(lower.length() + 8);
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            String cyr = CYRILLIC.get(c);
            if (cyr != null) {
                latin.append(cyr);
                continue;
            }
            String special = LATIN_SPECIAL.get(c);
            latin.append(special != null ? special : String.valueOf(c));
        }
        String stripped = latin.toString();
        if (!isPlainAscii(stripped)) {
            stripped = Normalizer.normalize(stripped, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        }
        StringBuilder letters = new StringBuilder(stripped.length());
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (c >= 'a' && c <= 'z') {
                letters.append(c);
            }
        }
        String s = letters.toString();
        for (String[] fold : FOLDS) {
            s = s.replace(fold[0], fold[1]);
        }
        return collapseDoubles(s);
    }

    private static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String collapseDoubles(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            if (i == 0 || s.charAt(i) != s.charAt(i - 1)) {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }
}
