package kz.ehr.billing.fraud;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import kz.ehr.billing.capitation.PersonHistory;

/**
 * One person attached to two polyclinics at once: a visit by a polyclinic whose attachment of the patient overlaps an
 * attachment by another polyclinic that began earlier, where at least one of the two has an end on record: the
 * earlier polyclinic says it still holds the person after the later one attached them, or the later one attached
 * them for a fixed term inside the earlier spell. Two open spells are a plain change of polyclinic (the later one
 * ends the earlier, as for capitation) and a move sent as the old spell's closing record and the new spell does not
 * overlap. Across the identity graph: attachments sent under any identifier the patient index linked to this person
 * count. Attachment records of one polyclinic with one start date are one spell, its end the earliest one on record.
 * The visits of the polyclinic that attached the patient later are flagged; the earlier one's are not.
 */
public final class AttachedTwiceRule implements PersonRule {
    public static final String ID = "ATTACHED_TWICE";

    @Override
    public String id() {
        return ID;
    }

    /** A polyclinic's spell: its start, and its end (null: open) as the closing record says. */
    record Spell(String polyclinicBin, LocalDate from, LocalDate to) {
        boolean covers(LocalDate d) {
            return !from.isAfter(d) && (to == null || !to.isBefore(d));
        }
    }

    static Map<String, Spell> spells(PersonContext person) {
        Map<String, Spell> out = new LinkedHashMap<>();
        for (PersonHistory.Attachment a : person.attachments()) {
            out.merge(a.polyclinicBin() + "|" + a.from(), new Spell(a.polyclinicBin(), a.from(), a.to()),
                    (x, y) -> new Spell(x.polyclinicBin(), x.from(), x.to() == null ? y.to()
                            : y.to() == null || x.to().isBefore(y.to()) ? x.to() : y.to()));
        }
        return out;
    }

    @Override
    public Optional<String> check(ScreenedVisit visit, PersonContext person, FraudPolicy policy) {
        if (person.attachments().size() < 2) {
            return Optional.empty();
        }
        Map<String, Spell> spells = spells(person);
        Spell mine = latestSpell(spells, visit.polyclinicBin(), visit.date());
        if (mine == null) {
            return Optional.empty();
        }
        for (Spell other : spells.values()) {
            if (twice(other, mine, visit.date())) {
                return Optional.of("Visit on " + visit.date() + " by polyclinic " + visit.polyclinicBin() + ", which attached the patient from "
                        + mine.from() + " while polyclinic " + other.polyclinicBin() + "'s attachment from " + other.from() + " was still in force ("
                        + (other.to() == null ? "no end on record" : "until " + other.to()) + (mine.to() == null ? "" : "; this one until " + mine.to())
                        + "): one person attached to two polyclinics at once.");
            }
        }
        return Optional.empty();
    }

    /**
     * The polyclinic attached the patient first and a later attachment by another one overlaps its spell on that date as
     * this rule sees it (an end on record on one side): the later polyclinic's visits are flagged here, and this one still
     * holds the patient, so its own visits are no visits "to a patient attached elsewhere" ({@link NotAttachedWithoutReferralRule}).
     */
    static boolean stillHeldBy(PersonContext person, String polyclinicBin, LocalDate date) {
        if (person.attachments().size() < 2) {
            return false;
        }
        Map<String, Spell> spells = spells(person);
        Spell mine = latestSpell(spells, polyclinicBin, date);
        return mine != null && spells.values().stream().anyMatch(later -> twice(mine, later, date));
    }

    /** The spell of that polyclinic in force on the date that began last; null when none is. */
    private static Spell latestSpell(Map<String, Spell> spells, String polyclinicBin, LocalDate date) {
        Spell latest = null;
        for (Spell s : spells.values()) {
            if (s.polyclinicBin().equals(polyclinicBin) && s.covers(date) && (latest == null || s.from().isAfter(latest.from()))) {
                latest = s;
            }
        }
        return latest;
    }

    /** Two polyclinics' spells both in force on the date, {@code later} begun after {@code earlier}, an end on record on one side. */
    private static boolean twice(Spell earlier, Spell later, LocalDate date) {
        return !earlier.polyclinicBin().equals(later.polyclinicBin()) && earlier.covers(date) && later.covers(date)
                && earlier.from().isBefore(later.from()) && (earlier.to() != null || later.to() != null);
    }
}
