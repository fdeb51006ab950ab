package kz.ehr.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;

/**
 * Releases the current schemas: every top-level schema that differs from its latest released
 * version is written as the next version into the released folder and added to the index.
 * Run from the repository root:
 * {@code mvn -q -pl event-schemas compile exec:java -Dexec.mainClass=kz.ehr.events.SchemaRelease}
 */
public final class SchemaRelease {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "event-schemas/src/main/resources/" + ReleasedSchemas.ROOT);
        Path index = dir.resolve("index.txt");
        List<String> lines = Files.exists(index) ? new ArrayList<>(Files.readAllLines(index)) : new ArrayList<>();
        List<ReleasedSchemas.Released> released = Files.exists(index) ? ReleasedSchemas.all() : List.of();
        for (Schema schema : EventSchemas.current()) {
            List<ReleasedSchemas.Released> versions = released.stream()
                    .filter(r -> r.recordName().equals(schema.getName())).toList();
            ReleasedSchemas.Released latest = versions.isEmpty() ? null : versions.get(versions.size() - 1);
            if (latest != null && latest.schema().equals(schema)) {
                continue;
            }
            int next = latest == null ? 1 : latest.version() + 1;
            String file = schema.getName() + ".v" + next + ".avsc";
            Files.writeString(dir.resolve(file), schema.toString(true) + "\n", StandardCharsets.UTF_8);
            lines.add(file);
            System.out.println("released " + file);
        }
        Files.write(index, lines, StandardCharsets.UTF_8);
    }
}
