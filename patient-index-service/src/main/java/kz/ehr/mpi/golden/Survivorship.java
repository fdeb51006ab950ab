package kz.ehr.mpi.golden;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import kz.ehr.mpi.matching.Demographics;
import kz.ehr.identity.Iin;
import kz.ehr.mpi.matching.NameNormalizer;

/**
 * Builds the golden record of an enterprise patient from its source records, field by field:
 * <ul>
 * <li>IIN: the valid IIN carried by most sources (invalid IINs never survive);</li>
 * <li>birth date and sex: the ones encoded in the golden IIN when a source agrees, else the most frequent;</li>
 * <li>last, first and middle name: the most frequent value, Cyrillic spellings counting extra because they are
 * the form of the national register;</li>
 * <li>phone and address: the most recent value (people move and change numbers);</li>
 * <li>ties go to the most recent source; a manual override of a field always wins.</li>
 * </ul>
 */
public final class Survivorship {
    /** One source record as survivorship sees it. */
    public record Source(String providerId, String localId, Demographics demographics, Instant occurredAt) {
    }

    private Survivorship() {
    }

    public static Demographics golden(List<Source> sources, Map<String, String> overrides) {
        // newest first, with a stable order for equal times so the result never depends on load order
        List<Source> recentFirst = sources.stream().sorted(Comparator
                .comparing((Source s) -> s.occurredAt() == null ? Instant.EPOCH : s.occurredAt()).reversed()
                .thenComparing(Source::providerId).thenComparing(Source::localId)).toList();
        String iin = mostFrequent(recentFirst, s -> Iin.isValid(s.demographics().iin()) ? s.demographics().iin() : null,
                v -> 0.0);
        LocalDate birth = Iin.birthDate(iin).filter(b -> recentFirst.stream().anyMatch(s -> b.equals(s.demographics().birthDate())))
                .orElseGet(() -> mostFrequent(recentFirst, s -> s.demographics().birthDate(), v -> 0.0));
        String sex = Iin.sex(iin).filter(x -> recentFirst.stream().anyMatch(s -> x.equals(s.demographics().sex())))
                .orElseGet(() -> mostFrequent(recentFirst, s -> s.demographics().sex(), v -> 0.0));
        Demographics g = new Demographics(iin,
                mostFrequentName(recentFirst, s -> s.demographics().lastName(), NameNormalizer::surname),
                mostFrequentName(recentFirst, s -> s.demographics().firstName(), NameNormalizer::givenName),
                mostFrequentName(recentFirst, s -> s.demographics().middleName(), NameNormalizer::patronymic),
                birth, sex,
                recentFirst.stream().map(s -> blankToNull(s.demographics().phone())).filter(Objects::nonNull).findFirst().orElse(null),
                recentFirst.stream().map(s -> blankToNull(s.demographics().address())).filter(Objects::nonNull).findFirst().orElse(null));
        return applyOverrides(g, overrides);
    }

    static Demographics applyOverrides(Demographics g, Map<String, String> o) {
        if (o == null || o.isEmpty()) {
            return g;
        }
        return new Demographics(o.getOrDefault("iin", g.iin()), o.getOrDefault("lastName", g.lastName()),
                o.getOrDefault("firstName", g.firstName()), o.getOrDefault("middleName", g.middleName()),
                o.containsKey("birthDate") ? LocalDate.parse(o.get("birthDate")) : g.birthDate(),
                o.getOrDefault("sex", g.sex()), o.getOrDefault("phone", g.phone()), o.getOrDefault("address", g.address()));
    }

    /** The value carried by most sources plus its bonus; the first (most recent) wins ties. */
    private static <T> T mostFrequent(List<Source> recentFirst, Function<Source, T> field, Function<T, Double> bonus) {
        Map<T, Double> votes = new HashMap<>();
        T best = null;
        double bestVotes = 0;
        for (Source s : recentFirst) {
            T v = field.apply(s);
            if (v != null) {
                votes.merge(v, 1.0, Double::sum);
            }
        }
        for (Source s : recentFirst) {
            T v = field.apply(s);
            if (v != null) {
                double total = votes.get(v) + bonus.apply(v);
                if (total > bestVotes) {
                    best = v;
                    bestVotes = total;
                }
            }
        }
        return best;
    }

    /**
     * Spellings vote together when they normalise alike (Ахметова, Akhmetova, Ахметов); the winning group shows
     * its most frequent Cyrillic spelling, else its most recent one.
     */
    private static String mostFrequentName(List<Source> recentFirst, Function<Source, String> field,
                                           Function<String, String> normalise) {
        Map<String, Integer> groupVotes = new HashMap<>();
        for (Source s : recentFirst) {
            String v = blankToNull(field.apply(s));
            if (v != null) {
                groupVotes.merge(normalise.apply(v), 1, Integer::sum);
            }
        }
        String bestGroup = null;
        int best = 0;
        for (Source s : recentFirst) {
            String v = blankToNull(field.apply(s));
            if (v != null && groupVotes.get(normalise.apply(v)) > best) {
                bestGroup = normalise.apply(v);
                best = groupVotes.get(bestGroup);
            }
        }
        if (bestGroup == null) {
            return null;
        }
        String group = bestGroup;
        return mostFrequent(recentFirst, s -> {
            String v = blankToNull(field.apply(s));
            return v != null && normalise.apply(v).equals(group) ? v : null;
        }, Survivorship::cyrillicBonus);
    }

    private static double cyrillicBonus(String value) {
        return value.chars().anyMatch(c -> Character.UnicodeBlock.of(c) == Character.UnicodeBlock.CYRILLIC) ? 0.5 : 0.0;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
