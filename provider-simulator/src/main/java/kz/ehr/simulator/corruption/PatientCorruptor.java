package kz.ehr.simulator.corruption;

import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Map;
import java.util.SplittableRandom;

import kz.ehr.simulator.population.Person;

/**
 * Derives a provider's view of a person by applying its error profile. The result depends only on
 * (seed, provider, person), so every record a provider sends about a person carries the same demographics.
 */
public final class PatientCorruptor {
    private static final Map<Character, Character> FLATTEN = Map.of('ә', 'а', 'ғ', 'г', 'қ', 'к', 'ң', 'н', 'ө', 'о',
            'ұ', 'у', 'ү', 'у', 'һ', 'х', 'і', 'и');
    private static final String RUSSIAN_LETTERS = "абвгдежзиклмнопрстуфхшыя";

    private final String providerId;
    private final ErrorProfile profile;
    private final long seed;
    private final LocalIds localIds;

    public PatientCorruptor(String providerId, ErrorProfile profile, long seed) {
        this.providerId = providerId;
        this.profile = profile;
        this.seed = seed;
        this.localIds = new LocalIds(providerId, seed);
    }

    public String providerId() {
        return providerId;
    }

    public SourcePatient view(Person p) {
        SplittableRandom r = new SplittableRandom(seed ^ (providerId.hashCode() * 0x632BE59BD9B4E019L) ^ (p.index * 0x9E3779B97F4A7C15L));
        EnumSet<Corruption> applied = EnumSet.noneOf(Corruption.class);
        String last = p.lastName;
        String first = p.firstName;
        String middle = p.middleName;
        String iin = p.iin;
        LocalDate birth = p.birthDate;
        if (p.maidenName != null && hit(r, Corruption.SURNAME_CHANGE)) {
            last = p.maidenName;
            applied.add(Corruption.SURNAME_CHANGE);
        }
        if (hit(r, Corruption.TYPO)) {
            if (r.nextBoolean()) {
                last = typo(last, r);
            } else {
                first = typo(first, r);
            }
            applied.add(Corruption.TYPO);
        }
        if (hit(r, Corruption.MISSING_PATRONYMIC) && middle != null) {
            middle = null;
            applied.add(Corruption.MISSING_PATRONYMIC);
        }
        if (hit(r, Corruption.SWAPPED_NAMES)) {
            String t = last;
            last = first;
            first = t;
            applied.add(Corruption.SWAPPED_NAMES);
        }
        if (hit(r, Corruption.TRANSLITERATION)) {
            Transliteration.Scheme scheme = r.nextBoolean() ? Transliteration.Scheme.ICAO : Transliteration.Scheme.KAZAKH_LATIN_2021;
            last = Transliteration.toLatin(last, scheme);
            first = Transliteration.toLatin(first, scheme);
            middle = Transliteration.toLatin(middle, scheme);
            applied.add(Corruption.TRANSLITERATION);
        }
        boolean dayMonthPossible = birth.getDayOfMonth() <= 12 && birth.getDayOfMonth() != birth.getMonthValue();
        if (dayMonthPossible && hit(r, Corruption.DAY_MONTH_SWAP)) {
            birth = LocalDate.of(birth.getYear(), birth.getDayOfMonth(), birth.getMonthValue());
            applied.add(Corruption.DAY_MONTH_SWAP);
        }
        if (hit(r, Corruption.MISSING_IIN)) {
            iin = null;
            applied.add(Corruption.MISSING_IIN);
        } else if (hit(r, Corruption.WRONG_IIN_DIGIT)) {
            iin = wrongDigit(iin, r);
            applied.add(Corruption.WRONG_IIN_DIGIT);
        }
        return new SourcePatient(providerId, localIds.of(p.index), p.personId, iin, last, first, middle, birth.toString(),
                p.sex.name(), p.phone, p.household.address, applied);
    }

    private boolean hit(SplittableRandom r, Corruption c) {
        return r.nextDouble() < profile.rate(c);
    }

    static String typo(String s, SplittableRandom r) {
        StringBuilder b = new StringBuilder(s);
        boolean hasKazakh = s.chars().anyMatch(c -> FLATTEN.containsKey((char) Character.toLowerCase(c)));
        if (hasKazakh && r.nextBoolean()) {
            for (int i = 0; i < b.length(); i++) {
                char c = b.charAt(i);
                Character flat = FLATTEN.get(Character.toLowerCase(c));
                if (flat != null) {
                    b.setCharAt(i, Character.isUpperCase(c) ? Character.toUpperCase(flat) : flat);
                }
            }
            return b.toString();
        }
        int pos = 1 + r.nextInt(Math.max(1, b.length() - 1));
        switch (r.nextInt(3)) {
            case 0 -> b.deleteCharAt(Math.min(pos, b.length() - 1));
            case 1 -> b.insert(pos, b.charAt(pos - 1));
            default -> {
                int at = Math.min(pos, b.length() - 1);
                char replacement = RUSSIAN_LETTERS.charAt(r.nextInt(RUSSIAN_LETTERS.length()));
                if (replacement == b.charAt(at)) {
                    replacement = replacement == 'а' ? 'о' : 'а';
                }
                b.setCharAt(at, replacement);
            }
        }
        return b.toString();
    }

    static String wrongDigit(String iin, SplittableRandom r) {
        char[] c = iin.toCharArray();
        int pos = r.nextInt(12);
        char d = c[pos];
        char replacement;
        do {
            replacement = (char) ('0' + r.nextInt(10));
        } while (replacement == d);
        c[pos] = replacement;
        return new String(c);
    }
}
