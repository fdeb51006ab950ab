package kz.ehr.ingestion.validation;

import java.util.Optional;

/**
 * Phone numbers to E.164. Kazakh numbers arrive as "+7 701 123 45 67", "8 (701) 123-45-67",
 * "87011234567", "77011234567" or "7011234567"; foreign numbers only with a leading "+".
 */
public final class PhoneNumbers {
    private PhoneNumbers() {
    }

    public static Optional<String> toE164(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = raw.strip();
        boolean plus = s.startsWith("+");
        StringBuilder digits = new StringBuilder(16);
        for (int i = plus ? 1 : 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits.append(c);
            } else if (c != ' ' && c != '-' && c != '(' && c != ')' && c != '.') {
                return Optional.empty();
            }
        }
        String d = digits.toString();
        if (plus) {
            // E.164 allows at most 15 digits; a country code and a subscriber number need at least 8
            if (d.length() < 8 || d.length() > 15 || d.charAt(0) == '0') {
                return Optional.empty();
            }
            if (d.charAt(0) == '7' && d.length() != 11) {
                return Optional.empty();
            }
            return Optional.of("+" + d);
        }
        if (d.length() == 11 && (d.charAt(0) == '8' || d.charAt(0) == '7')) {
            // the domestic trunk prefix 8 and the country code 7 both precede the 10-digit national number
            return Optional.of("+7" + d.substring(1));
        }
        if (d.length() == 10 && d.charAt(0) == '7') {
            return Optional.of("+7" + d);
        }
        return Optional.empty();
    }
}
