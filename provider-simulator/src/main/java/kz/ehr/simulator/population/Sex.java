package kz.ehr.simulator.population;

public enum Sex {
    M, F
}
