package kz.ehr.events;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.Schema;

/**
 * Every released version of every event schema, bundled in this jar so that a reader can resolve
 * messages written by any older (or newer) writer without a registry server.
 * Layout: {@code kz/ehr/events/released/<RecordName>.v<N>.avsc}, listed in {@code index.txt}.
 */
public final class ReleasedSchemas {
    static final String ROOT = "kz/ehr/events/released/";

    private ReleasedSchemas() {
    }

    public record Released(String recordName, int version, String file, Schema schema) {
    }

    public static List<Released> all() {
        List<Released> result = new ArrayList<>();
        for (String file : index()) {
            String base = file.substring(0, file.length() - ".avsc".length());
            int dot = base.lastIndexOf(".v");
            String recordName = base.substring(0, dot);
            int version = Integer.parseInt(base.substring(dot + 2));
            result.add(new Released(recordName, version, file, new Schema.Parser().parse(read(file))));
        }
        return result;
    }

    public static List<Released> of(String recordName) {
        return all().stream().filter(r -> r.recordName().equals(recordName)).toList();
    }

    private static List<String> index() {
        List<String> files = new ArrayList<>();
        try (InputStream in = resource("index.txt");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    files.add(line.trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read released schema index", e);
        }
        return files;
    }

    private static String read(String file) {
        try (InputStream in = resource(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read released schema " + file, e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = ReleasedSchemas.class.getClassLoader().getResourceAsStream(ROOT + name);
        if (in == null) {
            throw new IllegalStateException("released schema resource missing: " + ROOT + name);
        }
        return in;
    }
}
