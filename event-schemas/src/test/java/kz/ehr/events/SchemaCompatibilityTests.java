package kz.ehr.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.junit.jupiter.api.Test;

/** Fails the build when a schema change would break a released reader or writer. */
class SchemaCompatibilityTests {

    @Test
    void everyCurrentSchemaHasBeenReleased() {
        for (Schema schema : EventSchemas.current()) {
            assertThat(ReleasedSchemas.of(schema.getName()))
                    .as("schema %s has no released version; run SchemaRelease (see its javadoc)", schema.getFullName())
                    .isNotEmpty();
        }
    }

    @Test
    void everyCurrentSchemaIsBackwardAndForwardCompatibleWithEveryReleasedVersion() {
        List<String> problems = new ArrayList<>();
        for (Schema current : EventSchemas.current()) {
            for (ReleasedSchemas.Released released : ReleasedSchemas.of(current.getName())) {
                problems.addAll(check("backward (current reader, released writer " + released.file() + ")",
                        current, released.schema(), current.getFullName()));
                problems.addAll(check("forward (released reader " + released.file() + ", current writer)",
                        released.schema(), current, current.getFullName()));
            }
        }
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    @Test
    void theCheckCatchesARemovedFieldWithoutDefaultAndNamesSchemaAndField() {
        Schema released = new Schema.Parser().parse("""
                {"type":"record","name":"Sample","namespace":"kz.ehr.events","fields":[
                  {"name":"keep","type":"string"},{"name":"iin","type":"string"}]}""");
        Schema changed = new Schema.Parser().parse("""
                {"type":"record","name":"Sample","namespace":"kz.ehr.events","fields":[
                  {"name":"keep","type":"string"}]}""");

        List<String> problems = check("forward", released, changed, "kz.ehr.events.Sample");

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).contains("kz.ehr.events.Sample").contains("iin");
    }

    @Test
    void addingAFieldWithADefaultIsCompatibleBothWays() {
        Schema released = new Schema.Parser().parse("""
                {"type":"record","name":"Sample","fields":[{"name":"keep","type":"string"}]}""");
        Schema changed = new Schema.Parser().parse("""
                {"type":"record","name":"Sample","fields":[{"name":"keep","type":"string"},
                  {"name":"extra","type":["null","string"],"default":null}]}""");

        assertThat(check("backward", changed, released, "Sample")).isEmpty();
        assertThat(check("forward", released, changed, "Sample")).isEmpty();
    }

    private static List<String> check(String direction, Schema reader, Schema writer, String schemaName) {
        List<String> problems = new ArrayList<>();
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            problems.add("SCHEMA_INCOMPATIBLE: " + schemaName + " is not " + direction + " compatible: "
                    + incompatibility.getType() + " at " + incompatibility.getLocation() + " — "
                    + incompatibility.getMessage());
        }
        return problems;
    }
}
