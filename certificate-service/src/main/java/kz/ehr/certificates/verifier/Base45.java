package kz.ehr.certificates.verifier;

import java.io.ByteArrayOutputStream;

/** RFC 9285 Base45: the alphabet of the QR code's alphanumeric mode, so a QR holds it at 5.5 bits a character. */
public final class Base45 {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
    private static final int[] VALUE = new int[128];

    static {
        java.util.Arrays.fill(VALUE, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            VALUE[ALPHABET.charAt(i)] = i;
        }
    }

    private Base45() {
    }

    public static String encode(byte[] data) {
        StringBuilder b = new StringBuilder(data.length * 3 / 2 + 2);
        for (int i = 0; i + 1 < data.length; i += 2) {
            int n = (data[i] & 0xff) * 256 + (data[i + 1] & 0xff);
            b.append(ALPHABET.charAt(n % 45)).append(ALPHABET.charAt(n / 45 % 45)).append(ALPHABET.charAt(n / 2025));
        }
        if (data.length % 2 == 1) {
            int n = data[data.length - 1] & 0xff;
            b.append(ALPHABET.charAt(n % 45)).append(ALPHABET.charAt(n / 45));
        }
        return b.toString();
    }

    /** @throws IllegalArgumentException on a character outside the alphabet or an impossible group */
    public static byte[] decode(String text) {
        if (text.length() % 3 == 1) {
            throw new IllegalArgumentException("base45 length " + text.length() + " is impossible");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() * 2 / 3);
        for (int i = 0; i < text.length(); i += 3) {
            int c = value(text.charAt(i)) + value(text.charAt(i + 1)) * 45;
            if (i + 2 < text.length()) {
                int n = c + value(text.charAt(i + 2)) * 2025;
                if (n > 0xffff) {
                    throw new IllegalArgumentException("base45 group out of range");
                }
                out.write(n >> 8);
                out.write(n & 0xff);
            } else {
                if (c > 0xff) {
                    throw new IllegalArgumentException("base45 group out of range");
                }
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static int value(char ch) {
        int v = ch < 128 ? VALUE[ch] : -1;
        if (v < 0) {
            throw new IllegalArgumentException("not a base45 character");
        }
        return v;
    }
}
