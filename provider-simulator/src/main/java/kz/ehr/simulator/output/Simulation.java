package kz.ehr.simulator.output;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import kz.ehr.simulator.corruption.ErrorProfile;
import kz.ehr.simulator.corruption.PatientCorruptor;
import kz.ehr.simulator.corruption.SourcePatient;
import kz.ehr.simulator.fraud.FraudInjector;
import kz.ehr.simulator.fraud.FraudRates;
import kz.ehr.simulator.fraud.GhostPatients;
import kz.ehr.simulator.fraud.OverloadedDoctors;
import kz.ehr.simulator.population.CareEvent;
import kz.ehr.simulator.population.Facilities;
import kz.ehr.simulator.population.Household;
import kz.ehr.simulator.population.Person;
import kz.ehr.simulator.population.PopulationGenerator;
import kz.ehr.simulator.population.RecordType;
import kz.ehr.simulator.population.Timeline;
import kz.ehr.simulator.population.TimelineGenerator;
import kz.ehr.simulator.population.Window;

/**
 * Population → timelines → fraud → each provider's view → provider records, streamed to a sink in constant
 * memory. Everything is a function of the settings (seed included).
 */
public final class Simulation {
    public record Settings(long persons, List<String> providers, long seed, Window window, double errorScale,
                           FraudRates fraud) {
        public Settings {
            providers = List.copyOf(providers);
        }

        public static Settings of(long persons, List<String> providers, long seed) {
            return new Settings(persons, providers, seed, Window.defaults(), 1.0, FraudRates.defaults());
        }
    }

    private final Settings settings;
    private final Facilities facilities;
    private final Map<String, PatientCorruptor> corruptors = new LinkedHashMap<>();

    public Simulation(Settings settings) {
        this.settings = settings;
        this.facilities = new Facilities(settings.persons(), settings.providers(), settings.seed());
        for (String p : settings.providers()) {
            corruptors.put(p, new PatientCorruptor(p, ErrorProfile.defaultFor(p).scaled(settings.errorScale()), settings.seed()));
        }
    }

    public Facilities facilities() {
        return facilities;
    }

    public void run(RecordSink sink) throws Exception {
        run(sink, n -> { });
    }

    /** Streams every record; {@code progress} receives the number of persons done so far. */
    public void run(RecordSink sink, LongConsumer progress) throws Exception {
        Window window = settings.window();
        PopulationGenerator population = new PopulationGenerator(settings.seed(), window);
        TimelineGenerator timelines = new TimelineGenerator(facilities, window, settings.seed());
        FraudInjector fraud = new FraudInjector(settings.fraud(), window, settings.seed(), timelines.schedule(), facilities);
        OverloadedDoctors overloaded = new OverloadedDoctors(settings.fraud(), window, settings.seed());
        GhostPatients ghosts = new GhostPatients(settings.fraud(), window, settings.seed(), timelines.schedule());
        while (population.personsGenerated() < settings.persons()) {
            Household h = population.nextHousehold();
            for (Person p : h.members) {
                if (p.index >= settings.persons()) {
                    break;
                }
                Timeline t = timelines.generate(p);
                fraud.inject(t);
                emit(t, sink);
                if (p.aliveOn(window.end())) {
                    overloaded.offer(t.spellOn(window.end()).polyclinic(), p);
                    ghosts.offer(t.spellOn(window.end()).polyclinic(), p, t.spellOn(window.end()).districtDoctor());
                }
                sink.person(p);
                progress.accept(p.index + 1);
            }
        }
        int n = 0;
        for (OverloadedDoctors.Booking b : overloaded.bookings(facilities.allPolyclinics())) {
            CareEvent e = b.event();
            SourcePatient view = corruptors.get(e.providerId()).view(b.person());
            String recordId = recordPrefix(e.providerId()) + "-" + settings.seed() + "-od-" + (n++);
            Map<String, Object> block = new LinkedHashMap<>(e.block());
            block.put("encounterId", "E-" + recordId);
            sink.record(new SourceRecord(e.providerId(), recordId, e.type(), e.at(), view, block, e.fraud()));
            sink.truthFraud(e.providerId(), recordId, e.fraud());
        }
        // made-up people: their polyclinic's records only, indexed past the true population (not in its export)
        for (Timeline ghost : ghosts.ghosts(facilities.allPolyclinics(), settings.persons())) {
            emit(ghost, sink);
        }
    }

    private void emit(Timeline t, RecordSink sink) throws Exception {
        Person p = t.person;
        Map<String, SourcePatient> views = new HashMap<>();
        Map<String, Integer> sequence = new HashMap<>();
        for (CareEvent e : t.events) {
            String provider = e.providerId();
            SourcePatient view = views.get(provider);
            if (view == null) {
                view = corruptors.get(provider).view(p);
                views.put(provider, view);
                sink.truthPerson(provider, view.localId(), p.personId);
                OffsetDateTime registered = e.at().minusMinutes(5);
                sink.record(new SourceRecord(provider, recordId(provider, p, sequence), RecordType.PATIENT, registered, view,
                        Map.of(), null));
            }
            String recordId = recordId(provider, p, sequence);
            Map<String, Object> block = e.block();
            if (e.type() == RecordType.ENCOUNTER) {
                block = new LinkedHashMap<>(block);
                block.put("encounterId", "E-" + recordId);
            }
            sink.record(new SourceRecord(provider, recordId, e.type(), e.at(), view, block, e.fraud()));
            if (e.fraud() != null) {
                sink.truthFraud(provider, recordId, e.fraud());
            }
        }
    }

    /** provider prefix, seed, person, sequence: unique per provider even across runs with different seeds. */
    private String recordId(String provider, Person p, Map<String, Integer> sequence) {
        int n = sequence.merge(provider, 1, Integer::sum);
        return recordPrefix(provider) + "-" + settings.seed() + "-" + p.index + "-" + n;
    }

    static String recordPrefix(String provider) {
        return switch (provider) {
            case "damumed" -> "dm";
            case "kmis" -> "km";
            case "medelement" -> "me";
            default -> provider;
        };
    }
}
