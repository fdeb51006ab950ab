package kz.ehr.simulator.population;

import java.util.ArrayList;
import java.util.List;

/** People sharing a surname line and an address: a family, a single person, an elderly couple. */
public final class Household {
    public final long id;
    public final Region region;
    public final String city;
    public final String address;
    public final List<Person> members = new ArrayList<>();

    Household(long id, Region region, String city, String address) {
        this.id = id;
        this.region = region;
        this.city = city;
        this.address = address;
    }
}
