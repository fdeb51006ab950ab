package kz.ehr.simulator.corruption;

import java.util.Map;

/** Cyrillic (Kazakh and Russian) to Latin the ways providers' systems actually do it. */
public final class Transliteration {
    public enum Scheme { ICAO, KAZAKH_LATIN_2021 }

    private static final Map<Character, String> ICAO = Map.ofEntries(
            Map.entry('а', "a"), Map.entry('б', "b"), Map.entry('в', "v"), Map.entry('г', "g"), Map.entry('д', "d"),
            Map.entry('е', "e"), Map.entry('ё', "e"), Map.entry('ж', "zh"), Map.entry('з', "z"), Map.entry('и', "i"),
            Map.entry('й', "i"), Map.entry('к', "k"), Map.entry('л', "l"), Map.entry('м', "m"), Map.entry('н', "n"),
            Map.entry('о', "o"), Map.entry('п', "p"), Map.entry('р', "r"), Map.entry('с', "s"), Map.entry('т', "t"),
            Map.entry('у', "u"), Map.entry('ф', "f"), Map.entry('х', "kh"), Map.entry('ц', "ts"), Map.entry('ч', "ch"),
            Map.entry('ш', "sh"), Map.entry('щ', "shch"), Map.entry('ъ', "ie"), Map.entry('ы', "y"), Map.entry('ь', ""),
            Map.entry('э', "e"), Map.entry('ю', "iu"), Map.entry('я', "ia"), Map.entry('ә', "a"), Map.entry('ғ', "g"),
            Map.entry('қ', "k"), Map.entry('ң', "n"), Map.entry('ө', "o"), Map.entry('ұ', "u"), Map.entry('ү', "u"),
            Map.entry('һ', "h"), Map.entry('і', "i"));
    private static final Map<Character, String> KAZAKH_2021 = Map.ofEntries(
            Map.entry('а', "a"), Map.entry('б', "b"), Map.entry('в', "v"), Map.entry('г', "g"), Map.entry('д', "d"),
            Map.entry('е', "e"), Map.entry('ё', "io"), Map.entry('ж', "j"), Map.entry('з', "z"), Map.entry('и', "i"),
            Map.entry('й', "i"), Map.entry('к', "k"), Map.entry('л', "l"), Map.entry('м', "m"), Map.entry('н', "n"),
            Map.entry('о', "o"), Map.entry('п', "p"), Map.entry('р', "r"), Map.entry('с', "s"), Map.entry('т', "t"),
            Map.entry('у', "u"), Map.entry('ф', "f"), Map.entry('х', "h"), Map.entry('ц', "ts"), Map.entry('ч', "ch"),
            Map.entry('ш', "ş"), Map.entry('щ', "şş"), Map.entry('ъ', ""), Map.entry('ы', "y"), Map.entry('ь', ""),
            Map.entry('э', "e"), Map.entry('ю', "iu"), Map.entry('я', "ia"), Map.entry('ә', "ä"), Map.entry('ғ', "ğ"),
            Map.entry('қ', "q"), Map.entry('ң', "ñ"), Map.entry('ө', "ö"), Map.entry('ұ', "ū"), Map.entry('ү', "ü"),
            Map.entry('һ', "h"), Map.entry('і', "i"));

    private Transliteration() {
    }

    public static String toLatin(String cyrillic, Scheme scheme) {
        if (cyrillic == null) {
            return null;
        }
        Map<Character, String> table = scheme == Scheme.ICAO ? ICAO : KAZAKH_2021;
        StringBuilder out = new StringBuilder(cyrillic.length() + 4);
        for (int i = 0; i < cyrillic.length(); i++) {
            char c = cyrillic.charAt(i);
            char lower = Character.toLowerCase(c);
            String latin = table.get(lower);
            if (latin == null) {
                out.append(c);
            } else if (c != lower && !latin.isEmpty()) {
                out.append(Character.toUpperCase(latin.charAt(0))).append(latin, 1, latin.length());
            } else {
                out.append(latin);
            }
        }
        return out.toString();
    }
}
