package kz.ehr.simulator.population;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import kz.ehr.identity.Iin;

/**
 * Generates the population household by household, deterministically from the seed, in constant memory
 * (apart from one serial counter per birth date and sex, which keeps every IIN unique).
 */
public final class PopulationGenerator {
    /** Kazakhstan's 2024 age structure, percent of the population per five-year band 0–4 … 85+. */
    static final double[] AGE_BANDS = {10.0, 9.5, 8.3, 6.8, 5.9, 6.6, 8.0, 7.8, 6.9, 6.0, 5.5, 5.4, 4.9, 3.8, 2.6, 1.2, 0.8, 0.5};
    private static final double[] CHILDREN_IN_FAMILY = {0.08, 0.20, 0.32, 0.24, 0.11, 0.05};
    /** Share of married women who took the husband's surname. */
    private static final double TOOK_HUSBAND_SURNAME = 0.8;
    private static final double TWIN_SHARE = 0.015;

    private final SplittableRandom random;
    private final Window window;
    private final Map<Integer, Integer> nextSerial = new HashMap<>();
    private long nextPersonIndex;
    private long nextHouseholdId;
    private final int firstSerial;

    public PopulationGenerator(long seed, Window window) {
        this.random = new SplittableRandom(seed);
        this.window = window;
        // runs with different seeds draw serials from different ranges, so their IINs rarely collide
        this.firstSerial = 1 + (int) Math.floorMod(seed * 7919, 90L) * 100;
    }

    public long personsGenerated() {
        return nextPersonIndex;
    }

    public Household nextHousehold() {
        Region region = Region.draw(random);
        String city = region.cities.get(random.nextInt(region.cities.size()));
        String address = region.displayName + ", " + city + ", ул. " + Names.STREETS.get(random.nextInt(Names.STREETS.size()))
                + ", д. " + (1 + random.nextInt(150)) + (random.nextInt(3) > 0 ? ", кв. " + (1 + random.nextInt(200)) : "");
        Household h = new Household(nextHouseholdId++, region, city, address);
        Names.Ethnicity ethnicity = random.nextDouble() < region.russianShare ? Names.Ethnicity.RUSSIAN : Names.Ethnicity.KAZAKH;
        String surname = Names.familySurname(ethnicity, random);
        double kind = random.nextDouble();
        if (kind < 0.49) {
            family(h, ethnicity, surname, true, false);
        } else if (kind < 0.55) {
            family(h, ethnicity, surname, false, false);
        } else if (kind < 0.78) {
            int age = age(18, 95);
            Sex sex = random.nextBoolean() ? Sex.M : Sex.F;
            adult(h, ethnicity, Names.surnameFor(surname, sex), null, sex, age, randomFatherName(ethnicity));
        } else if (kind < 0.90) {
            int age = age(60, 90);
            adult(h, ethnicity, surname, null, Sex.M, age, randomFatherName(ethnicity));
            marriedWoman(h, ethnicity, surname, Math.max(58, age - random.nextInt(6)));
        } else {
            family(h, ethnicity, surname, true, true);
        }
        return h;
    }

    private void family(Household h, Names.Ethnicity ethnicity, String surname, boolean withFather, boolean withGrandmother) {
        int fatherAge = age(22, 58);
        int motherAge = Math.max(19, fatherAge - random.nextInt(7));
        String fatherName = Names.firstName(ethnicity, Sex.M, random);
        String childSurname = surname;
        if (withFather) {
            adultNamed(h, ethnicity, surname, null, Sex.M, fatherAge, fatherName, randomFatherName(ethnicity));
            marriedWoman(h, ethnicity, surname, motherAge);
        } else {
            // a single mother keeps her own surname and the children carry it
            adult(h, ethnicity, Names.surnameFor(surname, Sex.F), null, Sex.F, motherAge, randomFatherName(ethnicity));
        }
        if (withGrandmother) {
            adult(h, ethnicity, Names.surnameFor(surname, Sex.F), null, Sex.F, Math.min(95, motherAge + 22 + random.nextInt(12)),
                    randomFatherName(ethnicity));
        }
        int children = draw(CHILDREN_IN_FAMILY);
        for (int c = 0; c < children; c++) {
            // most births are to mothers of 20–35; a child who would be 18+ has left to a household of their own
            int childAge = motherAge - (20 + random.nextInt(16));
            if (childAge < 0 || childAge > 17) {
                continue;
            }
            LocalDate birth = birthDate(childAge);
            boolean twins = random.nextDouble() < TWIN_SHARE;
            for (int t = 0; t < (twins ? 2 : 1); t++) {
                Sex sex = random.nextBoolean() ? Sex.M : Sex.F;
                String middle = patronymic(ethnicity, fatherName, sex, birth);
                person(h, ethnicity, Names.surnameFor(childSurname, sex), null, Names.firstName(ethnicity, sex, random), middle,
                        sex, birth, h.members.isEmpty() ? null : h.members.get(withFather ? 1 : 0).phone, twins);
            }
        }
    }

    private void marriedWoman(Household h, Names.Ethnicity ethnicity, String husbandSurname, int age) {
        Names.Ethnicity own = random.nextDouble() < 0.05
                ? (ethnicity == Names.Ethnicity.KAZAKH ? Names.Ethnicity.RUSSIAN : Names.Ethnicity.KAZAKH) : ethnicity;
        String maiden = Names.surnameFor(Names.familySurname(own, random), Sex.F);
        String married = Names.surnameFor(husbandSurname, Sex.F);
        boolean took = random.nextDouble() < TOOK_HUSBAND_SURNAME && !married.equals(maiden);
        adult(h, own, took ? married : maiden, took ? maiden : null, Sex.F, age, randomFatherName(own));
    }

    private void adult(Household h, Names.Ethnicity e, String lastName, String maiden, Sex sex, int age, String fatherName) {
        adultNamed(h, e, lastName, maiden, sex, age, Names.firstName(e, sex, random), fatherName);
    }

    private void adultNamed(Household h, Names.Ethnicity e, String lastName, String maiden, Sex sex, int age, String firstName,
                            String fatherName) {
        LocalDate birth = birthDate(age);
        person(h, e, lastName, maiden, firstName, patronymic(e, fatherName, sex, birth), sex, birth, phone(), false);
    }

    private void person(Household h, Names.Ethnicity e, String lastName, String maiden, String firstName, String middle,
                        Sex sex, LocalDate birth, String phone, boolean twin) {
        String iin = issueIin(birth, sex);
        h.members.add(new Person(nextPersonIndex++, iin, sex, birth, lastName, maiden, firstName, middle, e, h, phone,
                deathDate(birth), twin));
    }

    private String patronymic(Names.Ethnicity e, String fatherName, Sex sex, LocalDate birth) {
        // the Kazakh form (-ұлы/-қызы) is chosen by some families since the 1990s
        if (e == Names.Ethnicity.KAZAKH && birth.getYear() >= 1995 && random.nextDouble() < 0.15) {
            return Names.kazakhPatronymic(fatherName, sex);
        }
        return Names.patronymic(fatherName, sex);
    }

    private String randomFatherName(Names.Ethnicity e) {
        return Names.firstName(e, Sex.M, random);
    }

    private String issueIin(LocalDate birth, Sex sex) {
        int key = (int) (birth.toEpochDay() * 2 + (sex == Sex.F ? 1 : 0));
        int serial = nextSerial.getOrDefault(key, firstSerial);
        String iin = Iin.issue(birth, sex.name(), serial);
        if (iin == null) {
            throw new IllegalStateException("IIN serials exhausted for one birth date; population too large");
        }
        nextSerial.put(key, Integer.parseInt(iin.substring(7, 11)) + 1);
        return iin;
    }

    private String phone() {
        if (random.nextInt(20) == 0) {
            return null;
        }
        String[] operators = {"701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778"};
        return "+7" + operators[random.nextInt(operators.length)] + String.format("%07d", random.nextInt(10_000_000));
    }

    /** An age in whole years drawn from the national age structure restricted to [min, max]. */
    int age(int min, int max) {
        while (true) {
            int band = draw(AGE_BANDS);
            int a = band * 5 + random.nextInt(band == AGE_BANDS.length - 1 ? 15 : 5);
            if (a >= min && a <= max) {
                return a;
            }
        }
    }

    private LocalDate birthDate(int ageAtWindowEnd) {
        return window.end().minusYears(ageAtWindowEnd).minusDays(random.nextInt(365));
    }

    /** Annual death probability: infant mortality, then a Gompertz curve calibrated to ~7 per 1,000 overall. */
    static double annualMortality(int age) {
        if (age < 1) {
            return 0.008;
        }
        return 0.0003 + 0.00005 * Math.exp(0.09 * age);
    }

    private LocalDate deathDate(LocalDate birth) {
        LocalDate from = birth.isAfter(window.start()) ? birth : window.start();
        for (LocalDate year = from; year.isBefore(window.end()); year = year.plusYears(1)) {
            int age = (int) ChronoUnit.YEARS.between(birth, year);
            if (random.nextDouble() < annualMortality(age)) {
                LocalDate d = year.plusDays(random.nextInt(365));
                return d.isAfter(window.end()) ? window.end() : d;
            }
        }
        return null;
    }

    private int draw(double[] weights) {
        double sum = 0;
        for (double w : weights) {
            sum += w;
        }
        double x = random.nextDouble() * sum;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    public static List<Double> ageBands() {
        return java.util.Arrays.stream(AGE_BANDS).boxed().toList();
    }
}
