package kz.ehr.ingestion.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Iterator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * SHA-256 over a canonical form of a record (object keys sorted; type-tagged, length-prefixed values), so a resend
 * that only reorders fields or reformats the line is still recognised as the same content. The canonical form is fed
 * to the digest directly rather than rendered as JSON text first: no escaping, no intermediate string.
 */
public final class ContentHash {
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private ContentHash() {
    }

    public static byte[] of(JsonNode record) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        feed(record, digest);
        return digest.digest();
    }

    private static void feed(JsonNode node, MessageDigest d) {
        if (node.isObject()) {
            String[] names = new String[node.size()];
            int i = 0;
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names[i++] = it.next();
            }
            Arrays.sort(names);
            d.update((byte) '{');
            length(names.length, d);
            for (String name : names) {
                text(name, d);
                feed(node.get(name), d);
            }
        } else if (node.isArray()) {
            d.update((byte) '[');
            length(node.size(), d);
            for (int i = 0; i < node.size(); i++) {
                feed(node.get(i), d);
            }
        } else if (node.isTextual()) {
            d.update((byte) 's');
            text(node.textValue(), d);
        } else if (node.isNull()) {
            d.update((byte) '0');
        } else if (node.isBoolean()) {
            d.update((byte) (node.booleanValue() ? 't' : 'f'));
        } else {
            d.update((byte) 'n'); // numbers by their JSON text: 1 and 1.0 differ, as they do on the wire
            text(node.toString(), d);
        }
    }

    private static void text(String s, MessageDigest d) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        length(b.length, d);
        d.update(b);
    }

    private static void length(int n, MessageDigest d) {
        d.update((byte) (n >>> 24));
        d.update((byte) (n >>> 16));
        d.update((byte) (n >>> 8));
        d.update((byte) n);
    }
}
