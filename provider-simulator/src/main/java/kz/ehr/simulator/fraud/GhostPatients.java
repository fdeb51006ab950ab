package kz.ehr.simulator.fraud;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import kz.ehr.identity.Iin;
import kz.ehr.simulator.population.CareEvent;
import kz.ehr.simulator.population.DoctorSchedule;
import kz.ehr.simulator.population.Names;
import kz.ehr.simulator.population.Person;
import kz.ehr.simulator.population.Polyclinic;
import kz.ehr.simulator.population.RecordType;
import kz.ehr.simulator.population.Sex;
import kz.ehr.simulator.population.Timeline;
import kz.ehr.simulator.population.TimelineGenerator;
import kz.ehr.simulator.population.Window;

/**
 * Ghost patients: a polyclinic makes up a person (an IIN no other record shows, a name, an address of its area),
 * attaches them, to be paid for them, and books two or three visits to them, so that the no-visit penalty never applies.
 * Nothing else is ever sent about the person: no insurance status, no other provider's record. The visits are the
 * labelled fraud. One real person per polyclinic is kept (for the ethnicity, surname line and address), so a
 * national-size run stays in constant memory.
 */
public final class GhostPatients {
    /** Far above the population's serials (which start below 9,000 and grow per birth date), below the doctors'. */
    private static final int FIRST_SERIAL = 9_500;

    private final FraudRates rates;
    private final Window window;
    private final DoctorSchedule schedule;
    private final SplittableRandom random;
    private final Map<Integer, Person> template = new HashMap<>();
    private final Map<Integer, String> doctor = new HashMap<>();

    public GhostPatients(FraudRates rates, Window window, long seed, DoctorSchedule schedule) {
        this.rates = rates;
        this.window = window;
        this.schedule = schedule;
        this.random = new SplittableRandom(seed ^ 0x6805_7L);
    }

    /** Offers a real person attached to the polyclinic at the window's end, with their district doctor. */
    public void offer(Polyclinic p, Person person, String districtDoctor) {
        template.putIfAbsent(p.index(), person);
        doctor.putIfAbsent(p.index(), districtDoctor);
    }

    /** The made-up people, each with the events its polyclinic sends about it, once every person has been offered. */
    public List<Timeline> ghosts(List<Polyclinic> polyclinics, long firstIndex) {
        List<Polyclinic> chosen = new ArrayList<>();
        for (Polyclinic p : polyclinics) {
            if (template.containsKey(p.index()) && random.nextDouble() < rates.ghostPolyclinic()) {
                chosen.add(p);
            }
        }
        if (chosen.isEmpty() && rates.ghostPolyclinic() > 0) {
            polyclinics.stream().filter(p -> template.containsKey(p.index())).findFirst().ifPresent(chosen::add);
        }
        List<Timeline> out = new ArrayList<>();
        long index = firstIndex;
        for (Polyclinic p : chosen) {
            int n = 1 + random.nextInt(2);
            for (int i = 0; i < n; i++) {
                out.add(ghost(p, index++));
            }
        }
        return out;
    }

    private Timeline ghost(Polyclinic p, long index) {
        Person like = template.get(p.index());
        Sex sex = random.nextBoolean() ? Sex.M : Sex.F;
        LocalDate born = window.end().minusYears(20 + random.nextInt(40)).minusDays(random.nextInt(365));
        String iin = null;
        for (int serial = FIRST_SERIAL + (int) (index % 400); iin == null; serial++) {
            iin = Iin.issue(born, sex.name(), serial);
        }
        String surname = Names.surnameFor(Names.masculineSurname(like.lastName), sex);
        String first = Names.firstName(like.ethnicity, sex, random);
        String patronymic = Names.patronymic(Names.firstName(like.ethnicity, Sex.M, random), sex);
        Person ghost = Person.invented(index, iin, sex, born, surname, first, patronymic, like.ethnicity, like.household);
        Timeline t = new Timeline(ghost);
        LocalDate from = window.end().minusDays(200 + random.nextInt(300));
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put("polyclinicBin", p.bin());
        attachment.put("region", p.region().name());
        attachment.put("from", from.toString());
        attachment.put("to", null);
        t.events.add(new CareEvent(RecordType.ATTACHMENT, p.providerId(), TimelineGenerator.at(from, 9, 0), attachment, null));
        int visits = 2 + random.nextInt(2);
        for (int i = 0; i < visits; i++) {
            LocalDate d = TimelineGenerator.weekday(TimelineGenerator.randomDate(random, from.plusDays(1), window.end().minusDays(3)));
            String doc = doctor.get(p.index());
            OffsetDateTime start = schedule.book(doc, d, random);
            if (start != null) {
                t.events.add(new CareEvent(RecordType.ENCOUNTER, p.providerId(), start, TimelineGenerator.encounterBlock(null, p.bin(), doc,
                        start, start.plusMinutes(15), "VISIT", null, List.of("I10"), List.of("B01.047.001")), FraudType.GHOST_PATIENT));
            }
        }
        t.events.sort(java.util.Comparator.comparing(CareEvent::at));
        return t;
    }
}
