package kz.ehr.simulator.population;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** A person's generated history: attachment spells, hospital stays and every recorded event. */
public final class Timeline {
    /** One period of attachment to a polyclinic with the district doctor assigned there. */
    public record Spell(Polyclinic polyclinic, LocalDate from, LocalDate to, String districtDoctor) {
        public boolean covers(LocalDate d) {
            return !d.isBefore(from) && (to == null || !d.isAfter(to));
        }
    }

    /** One stay in a 24-hour hospital (both days inclusive). */
    public record Stay(Hospital hospital, LocalDate admitted, LocalDate discharged) {
    }

    public final Person person;
    public final List<Spell> spells = new ArrayList<>();
    public final List<Stay> stays = new ArrayList<>();
    public final List<CareEvent> events = new ArrayList<>();
    /** day|services already booked, so a genuine service is never booked twice on one day. */
    final java.util.Set<String> serviceDays = new java.util.HashSet<>();

    public Timeline(Person person) {
        this.person = person;
    }

    /** The spell in force on a date, or the last one when the date is after every spell. */
    public Spell spellOn(LocalDate d) {
        for (Spell s : spells) {
            if (s.covers(d)) {
                return s;
            }
        }
        return spells.get(spells.size() - 1);
    }
}
