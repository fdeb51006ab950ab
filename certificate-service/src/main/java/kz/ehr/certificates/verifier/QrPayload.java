package kz.ehr.certificates.verifier;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * What a certificate's QR code holds: {@code KZC1:} + Base45(zlib-DEFLATE(compact JWS)). Like the EU DCC's
 * {@code HC1:}, the whole text is in the QR alphanumeric alphabet, so it fits one code.
 */
public final class QrPayload {
    public static final String PREFIX = "KZC1:";
    /** A decompressed token larger than this is not ours; refusing it stops zip bombs. */
    static final int MAX_TOKEN_BYTES = 16 * 1024;

    private QrPayload() {
    }

    public static String encode(String compactJws) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(compactJws.getBytes(StandardCharsets.US_ASCII));
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        return PREFIX + Base45.encode(out.toByteArray());
    }

    /**
     * The compact JWS inside a QR text (whole, or all its {@link QrChunks parts}); a text without the prefix is taken
     * to be the JWS itself.
     */
    public static String toToken(String text) {
        String t = QrChunks.join(text.trim());
        if (!t.startsWith(PREFIX)) {
            return t;
        }
        byte[] compressed = Base45.decode(t.substring(PREFIX.length()));
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("truncated QR payload");
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_TOKEN_BYTES) {
                    throw new IllegalArgumentException("QR payload too large");
                }
            }
            return out.toString(StandardCharsets.US_ASCII);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("QR payload is not DEFLATE data", e);
        } finally {
            inflater.end();
        }
    }
}
