package kz.ehr.simulator.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.simulator.fraud.FraudType;

/** The files contract end to end: truth consistent with the records, deterministic by seed, fraud labels true. */
class SimulationTests {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PROVIDERS = List.of("damumed", "kmis", "medelement");

    @TempDir
    static Path dir;
    private static final Map<String, JsonNode> RECORDS = new HashMap<>(); // provider/recordId → record
    private static final Map<String, String> PERSON_OF = new HashMap<>(); // provider/localId → personId
    private static final Map<String, String[]> POPULATION = new HashMap<>(); // personId → csv row
    private static List<String[]> fraud;

    @BeforeAll
    static void simulate() throws Exception {
        try (FilesSink sink = new FilesSink(dir.resolve("a"), true)) {
            new Simulation(Simulation.Settings.of(3000, PROVIDERS, 42)).run(sink);
        }
        for (String p : PROVIDERS) {
            for (String line : Files.readAllLines(dir.resolve("a/" + p + ".ndjson"))) {
                JsonNode r = JSON.readTree(line);
                assertThat(RECORDS.put(p + "/" + r.get("recordId").asText(), r)).as("record ids unique per provider").isNull();
            }
        }
        List<String[]> persons = csv(dir.resolve("a/truth-persons.csv"));
        for (String[] row : persons) {
            assertThat(PERSON_OF.put(row[0] + "/" + row[1], row[2])).as("one truth row per provider and local id").isNull();
        }
        csv(dir.resolve("a/truth-population.csv")).forEach(r -> POPULATION.put(r[0], r));
        fraud = csv(dir.resolve("a/truth-fraud.csv"));
    }

    private static List<String[]> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
    }

    @Test
    void truth_files_carry_the_contract_headers() throws IOException {
        assertThat(Files.readAllLines(dir.resolve("a/truth-persons.csv")).get(0)).isEqualTo("providerId,localId,personId");
        assertThat(Files.readAllLines(dir.resolve("a/truth-fraud.csv")).get(0)).isEqualTo("providerId,recordId,fraudType");
    }

    @Test
    void every_record_has_the_api_shape_and_its_local_id_is_in_the_truth() {
        Set<String> types = new HashSet<>();
        RECORDS.forEach((key, r) -> {
            String provider = key.substring(0, key.indexOf('/'));
            String type = r.get("type").asText();
            types.add(type);
            assertThat(OffsetDateTime.parse(r.get("occurredAt").asText())).isNotNull();
            assertThat(PERSON_OF).containsKey(provider + "/" + r.at("/patient/localId").asText());
            if (!type.equals("PATIENT")) {
                assertThat(r.has(type.toLowerCase())).as(key + " has its " + type.toLowerCase() + " block").isTrue();
            }
        });
        assertThat(types).containsExactlyInAnyOrder("PATIENT", "ATTACHMENT", "INSURANCE", "ENCOUNTER", "OBSERVATION", "IMMUNIZATION",
                "EXAM", "DISPENSARY", "HOSPITALIZATION", "DEATH");
    }

    @Test
    void providers_see_overlapping_subsets_of_the_population() {
        Map<String, Set<String>> seenBy = PERSON_OF.entrySet().stream().collect(Collectors.groupingBy(
                e -> e.getKey().substring(0, e.getKey().indexOf('/')), Collectors.mapping(Map.Entry::getValue, Collectors.toSet())));
        assertThat(seenBy.keySet()).containsExactlyInAnyOrderElementsOf(PROVIDERS);
        Set<String> both = new HashSet<>(seenBy.get("damumed"));
        both.retainAll(seenBy.get("kmis"));
        assertThat(both).isNotEmpty();
        assertThat(seenBy.get("damumed")).hasSizeLessThan(3000);
        Set<String> held = new HashSet<>(PERSON_OF.values());
        assertThat(held.stream().filter(POPULATION::containsKey)).hasSize(3000);
        // and the made-up people of GHOST_PATIENT, past the population's indexes
        assertThat(held.stream().filter(p -> !POPULATION.containsKey(p))).isNotEmpty()
                .allSatisfy(p -> assertThat(Long.parseLong(p.substring(1))).isGreaterThanOrEqualTo(3000));
    }

    @Test
    void most_iins_sent_are_the_true_iin_of_the_truth_person() {
        long withIin = 0;
        long correct = 0;
        for (JsonNode r : RECORDS.values()) {
            if (!r.get("type").asText().equals("PATIENT") || !r.at("/patient/iin").isTextual()) {
                continue;
            }
            String provider = r.get("recordId").asText().substring(0, 2);
            String key = PROVIDERS.stream().filter(p -> p.startsWith(provider.equals("dm") ? "damumed" : provider.equals("km") ? "kmis" : "medelement"))
                    .findFirst().orElseThrow() + "/" + r.at("/patient/localId").asText();
            String[] truth = POPULATION.get(PERSON_OF.get(key));
            if (truth == null) {
                continue; // a made-up person (GHOST_PATIENT): no true IIN to compare with
            }
            withIin++;
            correct += truth[1].equals(r.at("/patient/iin").asText()) ? 1 : 0;
        }
        assertThat((double) correct / withIin).isBetween(0.95, 0.9999);
    }

    @Test
    void fraud_labels_point_at_records_that_really_are_that_fraud() {
        Map<FraudType, Integer> counts = new HashMap<>();
        Map<String, Integer> doctorDays = new HashMap<>();
        for (String[] row : fraud) {
            FraudType type = FraudType.valueOf(row[2]);
            counts.merge(type, 1, Integer::sum);
            JsonNode r = RECORDS.get(row[0] + "/" + row[1]);
            assertThat(r).as(row[0] + "/" + row[1] + " exists").isNotNull();
            assertThat(r.get("type").asText()).isEqualTo("ENCOUNTER");
            String[] person = POPULATION.get(PERSON_OF.get(row[0] + "/" + r.at("/patient/localId").asText()));
            LocalDate day = OffsetDateTime.parse(r.at("/encounter/start").asText()).toLocalDate();
            switch (type) {
                case VISIT_AFTER_DEATH -> assertThat(day).isAfter(LocalDate.parse(person[4]));
                case WRONG_SEX_SCREENING -> {
                    assertThat(person[2]).isEqualTo("M");
                    assertThat(r.at("/encounter/screening").asText()).isIn("CERVICAL", "BREAST");
                }
                case OVERLOADED_DOCTOR -> doctorDays.merge(r.at("/encounter/doctorId").asText() + day, 1, Integer::sum);
                case GHOST_PATIENT -> assertThat(person).as("a made-up person is no one of the population").isNull();
                case DOCTOR_TWO_POLYCLINICS -> assertThat(kz.ehr.identity.Iin.isValid(r.at("/encounter/doctorId").asText()))
                        .as("a national doctor id (the doctor's IIN)").isTrue();
                default -> { }
            }
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder(FraudType.values());
        assertThat(doctorDays.values()).allSatisfy(n -> assertThat(n).isGreaterThan(40));
    }

    @Test
    void duplicates_repeat_person_service_day_and_provider_of_a_genuine_encounter() {
        Set<String> labelled = fraud.stream().map(f -> f[0] + "/" + f[1]).collect(Collectors.toSet());
        Set<String> genuine = new HashSet<>();
        RECORDS.forEach((key, r) -> {
            if (!labelled.contains(key) && r.get("type").asText().equals("ENCOUNTER")) {
                genuine.add(signature(key, r));
            }
        });
        Map<String, OffsetDateTime> genuineStart = new HashMap<>();
        RECORDS.forEach((key, r) -> {
            if (!labelled.contains(key) && r.get("type").asText().equals("ENCOUNTER")) {
                genuineStart.put(signature(key, r), OffsetDateTime.parse(r.at("/encounter/start").asText()));
            }
        });
        fraud.stream().filter(f -> f[2].equals("DUPLICATE")).forEach(f -> {
            String key = f[0] + "/" + f[1];
            assertThat(genuine).contains(signature(key, RECORDS.get(key)));
            // the labelled copy is the second booking of the day
            assertThat(OffsetDateTime.parse(RECORDS.get(key).at("/encounter/start").asText()))
                    .isAfter(genuineStart.get(signature(key, RECORDS.get(key))));
        });
    }

    private static String signature(String key, JsonNode r) {
        return key.substring(0, key.indexOf('/')) + r.at("/patient/localId").asText() + r.at("/encounter/services").toString()
                + r.at("/encounter/start").asText().substring(0, 10);
    }

    @Test
    void genuine_encounters_do_not_trip_the_fraud_rules() {
        Set<String> labelled = fraud.stream().map(f -> f[0] + "/" + f[1]).collect(Collectors.toSet());
        Map<String, List<OffsetDateTime[]>> stays = new HashMap<>();
        Map<String, List<OffsetDateTime[]>> doctorDays = new HashMap<>();
        Map<String, List<LocalDate>> screenings = new HashMap<>();
        Set<String> services = new HashSet<>();
        RECORDS.forEach((key, r) -> {
            if (r.get("type").asText().equals("HOSPITALIZATION")) {
                stays.computeIfAbsent(personOf(key, r), k -> new java.util.ArrayList<>()).add(new OffsetDateTime[] {
                        OffsetDateTime.parse(r.at("/hospitalization/admittedAt").asText()),
                        OffsetDateTime.parse(r.at("/hospitalization/dischargedAt").asText())});
            }
        });
        RECORDS.forEach((key, r) -> {
            if (labelled.contains(key) || !r.get("type").asText().equals("ENCOUNTER")) {
                return;
            }
            String person = personOf(key, r);
            String[] truth = POPULATION.get(person);
            OffsetDateTime start = OffsetDateTime.parse(r.at("/encounter/start").asText());
            LocalDate day = start.toLocalDate();
            if (!truth[4].isEmpty()) {
                assertThat(day).as("genuine visit of " + person + " before death").isBeforeOrEqualTo(LocalDate.parse(truth[4]));
            }
            for (OffsetDateTime[] stay : stays.getOrDefault(person, List.of())) {
                assertThat(day.isBefore(stay[0].toLocalDate()) || day.isAfter(stay[1].toLocalDate()))
                        .as(key + " outside hospital stays").isTrue();
            }
            assertThat(services.add(person + r.at("/encounter/services") + day + key.substring(0, key.indexOf('/'))))
                    .as(key + " not a duplicate service").isTrue();
            String screening = r.at("/encounter/screening").asText("");
            if (!screening.isEmpty()) {
                var programme = kz.ehr.screening.ScreeningProgramme.inForce(kz.ehr.screening.ScreeningProgramme.DOMAIN, screening, day);
                assertThat(programme).as(key + " a known programme").isPresent();
                assertThat(programme.get().targets(truth[2], LocalDate.parse(truth[3]), day)).as(key + " in the screening group").isTrue();
                screenings.computeIfAbsent(person + "/" + screening, k -> new java.util.ArrayList<>()).add(day);
            }
            doctorDays.computeIfAbsent(r.at("/encounter/doctorId").asText() + day, k -> new java.util.ArrayList<>())
                    .add(new OffsetDateTime[] {start, OffsetDateTime.parse(r.at("/encounter/end").asText())});
        });
        screenings.forEach((personProgramme, days) -> {
            var programme = kz.ehr.screening.ScreeningProgramme.inForce(kz.ehr.screening.ScreeningProgramme.DOMAIN,
                    personProgramme.substring(personProgramme.indexOf('/') + 1), LocalDate.MAX).orElseThrow();
            days.sort(null);
            for (int i = 1; i < days.size(); i++) {
                assertThat(programme.tooSoon(days.get(i - 1), days.get(i))).as(personProgramme + " within the interval").isFalse();
            }
        });
        assertThat(screenings.keySet()).anySatisfy(k -> assertThat(k).endsWith("/CHILD_PREVENTIVE"));
        doctorDays.forEach((doctorDay, slots) -> {
            slots.sort(java.util.Comparator.comparing(x -> x[0]));
            for (int i = 1; i < slots.size(); i++) {
                assertThat(slots.get(i)[0]).as(doctorDay + " slots do not overlap").isAfterOrEqualTo(slots.get(i - 1)[1]);
            }
            assertThat(slots.size()).as(doctorDay + " within the daily cap").isLessThanOrEqualTo(40);
        });
    }

    private static String personOf(String key, JsonNode r) {
        return PERSON_OF.get(key.substring(0, key.indexOf('/')) + "/" + r.at("/patient/localId").asText());
    }

    @Test
    void the_same_seed_gives_the_same_files_and_another_seed_does_not() throws Exception {
        try (FilesSink sink = new FilesSink(dir.resolve("b"), true)) {
            new Simulation(Simulation.Settings.of(3000, PROVIDERS, 42)).run(sink);
        }
        try (FilesSink sink = new FilesSink(dir.resolve("c"), true)) {
            new Simulation(Simulation.Settings.of(3000, PROVIDERS, 43)).run(sink);
        }
        for (String f : List.of("damumed.ndjson", "kmis.ndjson", "truth-persons.csv", "truth-fraud.csv")) {
            assertThat(digest(dir.resolve("b/" + f))).as(f).isEqualTo(digest(dir.resolve("a/" + f)));
            assertThat(digest(dir.resolve("c/" + f))).as(f).isNotEqualTo(digest(dir.resolve("a/" + f)));
        }
    }

    private static String digest(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void the_progress_line_shows_rate_and_eta() {
        String line = new Progress(1000, () -> 0, System.err).line(250, 5000, 10.0);
        assertThat(line).contains("25%").contains("250/1,000 persons").contains("500 rec/s").contains("ETA 0:30");
        assertThat(new String(line.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).startsWith("[#######");
    }
}
