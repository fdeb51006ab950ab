package kz.ehr.simulator.population;

import java.time.LocalDate;

/** The simulated period: events are generated from start to end (inclusive); ages are reckoned at end. */
public record Window(LocalDate start, LocalDate end) {
    public static Window defaults() {
        return new Window(LocalDate.of(2024, 1, 1), LocalDate.of(2026, 10, 31));
    }
}
