package kz.ehr.simulator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Streams a small synthetic population to the ingestion REST API (walking skeleton of the simulator).
 * {@code java -jar provider-simulator.jar --url http://127.0.0.1:8081 --provider damumed --key K --persons 200 --seed 42}
 */
public final class Simulator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] MALE_LAST = {"Ахметов", "Серіков", "Нұрланов", "Иванов", "Жақсылықов", "Омаров"};
    private static final String[] MALE_FIRST = {"Ерлан", "Данияр", "Асқар", "Сергей", "Нұрсұлтан", "Бауыржан"};
    private static final String[] FEMALE_FIRST = {"Айгүл", "Динара", "Гүлнар", "Елена", "Әсем", "Жанар"};

    private Simulator() {
    }

    public static void main(String[] args) throws Exception {
        String url = arg(args, "--url", "http://127.0.0.1:8081");
        String provider = arg(args, "--provider", "damumed");
        String key = arg(args, "--key", null);
        int persons = Integer.parseInt(arg(args, "--persons", "200"));
        long seed = Long.parseLong(arg(args, "--seed", "42"));
        int batchSize = Integer.parseInt(arg(args, "--batch", "500"));
        if (key == null) {
            System.err.println("--key <provider key> is required");
            System.exit(2);
        }
        List<String> lines = population(provider, persons, seed);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        int accepted = 0;
        long t0 = System.nanoTime();
        for (int from = 0; from < lines.size(); from += batchSize) {
            String body = String.join("\n", lines.subList(from, Math.min(lines.size(), from + batchSize))) + "\n";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/records"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/x-ndjson")
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                System.err.println("batch at " + from + " answered " + r.statusCode() + ": " + r.body());
                System.exit(1);
            }
            accepted += JSON.readTree(r.body()).path("accepted").asInt();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("sent %d records for %d persons as %s: %d accepted in %.1f s (%.0f records/s)%n",
                lines.size(), persons, provider, accepted, seconds, lines.size() / seconds);
    }

    /** PATIENT, ATTACHMENT and one VISIT per person, deterministic by seed. */
    static List<String> population(String provider, int persons, long seed) {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        String polyclinicBin = SyntheticIin.issue(LocalDate.of(2001, 5, 17), 'M', 4000);
        for (int i = 0; i < persons; i++) {
            char sex = random.nextBoolean() ? 'M' : 'F';
            LocalDate birth = LocalDate.of(1940, 1, 1).plusDays(random.nextInt(365 * 84));
            String iin = SyntheticIin.issue(birth, sex, random.nextInt(9000));
            String last = MALE_LAST[random.nextInt(MALE_LAST.length)] + (sex == 'F' ? "а" : "");
            String first = (sex == 'F' ? FEMALE_FIRST : MALE_FIRST)[random.nextInt(6)];
            String localId = provider.toUpperCase() + "-" + (100000 + i);
            ObjectNode patient = JSON.createObjectNode().put("localId", localId).put("iin", iin).put("lastName", last)
                    .put("firstName", first).put("birthDate", birth.toString()).put("sex", String.valueOf(sex))
                    .put("phone", "+7701" + String.format("%07d", random.nextInt(10_000_000)));
            OffsetDateTime visit = OffsetDateTime.of(2025, 1, 1, 9, 0, 0, 0, ZoneOffset.ofHours(5)).plusDays(random.nextInt(300));
            lines.add(record(provider + "-pat-" + i, "PATIENT", visit.minusYears(1), patient, null, null));
            lines.add(record(provider + "-att-" + i, "ATTACHMENT", visit.minusYears(1), patient, "attachment",
                    JSON.createObjectNode().put("polyclinicBin", polyclinicBin).put("region", "ALMATY").put("from", "2024-01-01")));
            lines.add(record(provider + "-enc-" + i, "ENCOUNTER", visit, patient, "encounter",
                    JSON.createObjectNode().put("encounterId", "E-" + i).put("polyclinicBin", polyclinicBin)
                            .put("doctorId", "D-" + random.nextInt(20)).put("start", visit.toString()).put("kind", "VISIT")));
        }
        return lines;
    }

    private static String record(String recordId, String type, OffsetDateTime occurredAt, ObjectNode patient,
                                 String blockName, ObjectNode block) {
        ObjectNode r = JSON.createObjectNode().put("recordId", recordId).put("type", type).put("occurredAt", occurredAt.toString());
        r.set("patient", patient);
        if (blockName != null) {
            r.set(blockName, block);
        }
        return r.toString();
    }

    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
