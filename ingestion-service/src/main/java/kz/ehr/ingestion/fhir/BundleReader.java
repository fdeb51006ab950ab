package kz.ehr.ingestion.fhir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import kz.ehr.fhir.validation.ProfileValidator;

/**
 * Reads a {@code Bundle} with HAPI's R4 parser, one entry's resource at a time, so that a structural problem
 * (an unknown element, a wrong JSON type, an invalid code or date) rejects only its entry, with the element's
 * FHIRPath; then HAPI's profile validator ({@link ProfileValidator}: required elements, cardinalities, required
 * bindings, invariants) checks the whole bundle in one call, and each entry the parser read and the intake takes
 * gets the errors found inside it. The bundle's own envelope (type, fullUrl, request) must be well-formed as a
 * whole: an error of the bundle itself (such as bdl-7, two entries with one fullUrl) rejects the body. Jackson reads
 * the body first, with the JSON path's nesting limit and duplicate-key check.
 */
final class BundleReader {
    private final FhirContext fhir;
    private final Supplier<ProfileValidator> validator;
    private final ObjectMapper mapper;
    private final int maxNestingDepth;

    BundleReader(FhirContext fhir, Supplier<ProfileValidator> validator, int maxNestingDepth) {
        this.fhir = fhir;
        this.validator = validator;
        this.maxNestingDepth = maxNestingDepth;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxNestingDepth).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        this.mapper = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    /** The body as a whole cannot be read as a batch; nothing of it is processed. */
    static final class NotABundleException extends Exception {
        final List<Issue> issues;

        NotABundleException(List<Issue> issues) {
            super(issues.get(0).message());
            this.issues = issues;
        }

        NotABundleException(String code, String expression, String message) {
            this(List.of(Issue.error(code, expression, message)));
        }
    }

    /** More entries than a batch may carry (the JSON path's record limit). */
    static final class TooManyEntriesException extends Exception {
        final int limit;

        TooManyEntriesException(int limit) {
            super("more than " + limit + " entries");
            this.limit = limit;
        }
    }

    /**
     * One request entry: its position, fullUrl and request method, the resource's JSON, the parsed resource (null
     * when it could not be read) and what was wrong with it.
     */
    record Entry(int index, String fullUrl, String method, ObjectNode json, Resource resource, List<Issue> problems) {
        String path() {
            return "Bundle.entry[" + index + "].resource";
        }
    }

    List<Entry> read(byte[] body, int maxEntries) throws NotABundleException, TooManyEntriesException {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new NotABundleException("TOO_DEEP", null, "the body nests deeper than " + maxNestingDepth + " levels");
        } catch (JsonProcessingException e) {
            throw new NotABundleException("MALFORMED_BATCH", null, "the body is not JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")") + "; send a FHIR R4 Bundle as application/fhir+json");
        } catch (IOException e) {
            throw new IllegalStateException("reading from memory cannot fail", e);
        }
        if (root == null || !root.isObject() || !"Bundle".equals(root.path("resourceType").asText(null))) {
            String found = root != null && root.isObject() ? "resourceType \"" + root.path("resourceType").asText("") + "\""
                    : "a JSON " + (root == null ? "nothing" : root.getNodeType().name().toLowerCase());
            throw new NotABundleException("NOT_A_BUNDLE", null, "the body must be a FHIR Bundle of type batch or "
                    + "transaction; found " + found);
        }
        JsonNode entries = root.path("entry");
        if (entries.isArray() && entries.size() > maxEntries) {
            throw new TooManyEntriesException(maxEntries);
        }
        // the envelope without the resources: its structure must be right as a whole
        ObjectNode envelope = ((ObjectNode) root).deepCopy();
        if (envelope.get("entry") instanceof ArrayNode list) {
            list.forEach(e -> {
                if (e instanceof ObjectNode o) {
                    o.remove("resource");
                }
            });
        }
        List<Issue> problems = new ArrayList<>();
        Bundle bundle = (Bundle) parse(envelope, "Bundle", problems);
        if (bundle == null || !problems.isEmpty()) {
            throw new NotABundleException(problems.isEmpty()
                    ? List.of(Issue.error("MALFORMED_BATCH", "Bundle", "the Bundle cannot be read")) : problems);
        }
        if (bundle.getType() != Bundle.BundleType.BATCH && bundle.getType() != Bundle.BundleType.TRANSACTION) {
            throw new NotABundleException("BUNDLE_TYPE", "Bundle.type", "Bundle.type must be batch or transaction; found "
                    + (bundle.getType() == null ? "none" : bundle.getType().toCode()));
        }
        List<Entry> out = new ArrayList<>(bundle.getEntry().size());
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Bundle.BundleEntryComponent e = bundle.getEntry().get(i);
            String method = e.getRequest().getMethod() == null ? null : e.getRequest().getMethod().toCode();
            JsonNode json = entries.get(i).get("resource");
            String path = "Bundle.entry[" + i + "].resource";
            List<Issue> entryProblems = new ArrayList<>();
            Resource resource = null;
            if (json == null || !json.isObject()) {
                entryProblems.add(Issue.error(json == null ? "REQUIRED" : "WRONG_TYPE", path,
                        path + " must be a resource (a JSON object with resourceType)"));
            } else {
                resource = (Resource) parse((ObjectNode) json, path, entryProblems);
            }
            out.add(new Entry(i, e.getFullUrl(), method, json instanceof ObjectNode o ? o : null, resource,
                    List.copyOf(entryProblems)));
        }
        return profileChecked(out, body);
    }

    /**
     * The entries with the profile validator's errors added to those it should judge: the ones the parser read
     * without a problem and whose type the intake takes (any other is answered UNSUPPORTED_RESOURCE, or with its
     * parse problems, and what the validator says about it is not reported twice).
     */
    private List<Entry> profileChecked(List<Entry> entries, byte[] body) throws NotABundleException {
        if (entries.stream().noneMatch(BundleReader::judged)) {
            return entries;
        }
        ProfileValidator.BundleFindings findings = validator.get().validateBundle(new String(body, StandardCharsets.UTF_8));
        if (!findings.bundle().isEmpty()) {
            throw new NotABundleException(findings.bundle().stream().map(BundleReader::issue).toList());
        }
        List<Entry> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            List<ProfileValidator.Finding> found = judged(e) ? findings.entry(e.index()) : List.of();
            out.add(found.isEmpty() ? e : new Entry(e.index(), e.fullUrl(), e.method(), e.json(), e.resource(),
                    found.stream().map(BundleReader::issue).toList()));
        }
        return out;
    }

    private static boolean judged(Entry e) {
        return e.resource() != null && e.problems().isEmpty() && BundleMapper.takes(e.resource().fhirType());
    }

    private static Issue issue(ProfileValidator.Finding f) {
        return Issue.error(f.code(), f.expression(), f.message());
    }

    private Object parse(ObjectNode json, String path, List<Issue> problems) {
        IParser parser = fhir.newJsonParser();
        parser.setParserErrorHandler(new Collector(json, path, problems));
        try {
            return parser.parseResource(json.toString());
        } catch (DataFormatException e) {
            problems.add(Issue.error("WRONG_TYPE", path, path + " cannot be read as a FHIR R4 resource: " + e.getMessage()));
            return null;
        }
    }

    /**
     * Turns HAPI's structural complaints into the JSON path's codes. HAPI names only the parent element (often not
     * even that), so the FHIRPath is found by looking the element up in the resource's JSON.
     */
    private static final class Collector implements IParserErrorHandler {
        private final ObjectNode json;
        private final String path;
        private final List<Issue> problems;

        Collector(ObjectNode json, String path, List<Issue> problems) {
            this.json = json;
            this.path = path;
            this.problems = problems;
        }

        private void add(String code, String element, String message) {
            String at = element == null ? null : JsonPaths.find(json, element);
            problems.add(Issue.error(code, at == null ? path : path + at, message));
        }

        @Override
        public void unknownElement(IParseLocation location, String name) {
            add("UNKNOWN_FIELD", name, "unknown element \"" + name + "\" (not in FHIR R4" + parent(location) + ")");
        }

        @Override
        public void unknownAttribute(IParseLocation location, String name) {
            unknownElement(location, name);
        }

        @Override
        public void incorrectJsonType(IParseLocation location, String name, ValueType expected, ScalarType expectedScalar,
                                      ValueType found, ScalarType foundScalar) {
            add("WRONG_TYPE", name, "element \"" + name + "\" must be " + describe(expected, expectedScalar) + ", not "
                    + describe(found, foundScalar));
        }

        @Override
        public void invalidValue(IParseLocation location, String value, String error) {
            String element = location == null ? null : location.getParentElementName();
            String lower = String.valueOf(error).toLowerCase();
            String code = lower.contains("date") || lower.contains("time") ? "INVALID_DATE"
                    : lower.contains("code") ? "INVALID_ENUM" : "WRONG_TYPE";
            add(code, element, (element == null ? "a value" : "\"" + element + "\"") + " is invalid: " + error);
        }

        @Override
        public void missingRequiredElement(IParseLocation location, String name) {
            add("REQUIRED", null, "element \"" + name + "\" is required" + parent(location));
        }

        @Override
        public void unexpectedRepeatingElement(IParseLocation location, String name) {
            add("WRONG_TYPE", name, "element \"" + name + "\" may occur only once, not as an array");
        }

        @Override
        public void containedResourceWithNoId(IParseLocation location) {
            add("REQUIRED", "contained", "a contained resource needs an id");
        }

        @Override
        public void unknownReference(IParseLocation location, String reference) {
            // references between entries of a bundle are resolved by the mapping, not by the parser
        }

        @Override
        public void invalidInternalReference(IParseLocation location, String reference) {
            add("REFERENCE_NOT_FOUND", null, "reference \"" + reference + "\" names no contained resource");
        }

        @Override
        public void extensionContainsValueAndNestedExtensions(IParseLocation location) {
            add("WRONG_TYPE", "extension", "an extension has both a value and nested extensions");
        }

        private static String parent(IParseLocation location) {
            return location == null || location.getParentElementName() == null ? ""
                    : " in \"" + location.getParentElementName() + "\"";
        }

        private static String describe(ValueType type, ScalarType scalar) {
            return scalar == null ? String.valueOf(type).toLowerCase() : String.valueOf(scalar).toLowerCase();
        }
    }

    /** FHIRPath-like locations inside a resource's JSON. */
    static final class JsonPaths {
        private JsonPaths() {
        }

        /** The first path (depth first) to a field called {@code name}, e.g. {@code .name[0].bar}; null if none. */
        static String find(JsonNode node, String name) {
            if (node.isObject()) {
                if (node.has(name)) {
                    return "." + name;
                }
                for (Map.Entry<String, JsonNode> f : node.properties()) {
                    String below = find(f.getValue(), name);
                    if (below != null) {
                        return "." + f.getKey() + below;
                    }
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    String below = find(node.get(i), name);
                    if (below != null) {
                        return "[" + i + "]" + below;
                    }
                }
            }
            return null;
        }
    }
}
