package kz.ehr.console.session;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.security.Roles;

/**
 * The signed-in person: the staff token as pasted (kept only in an HttpOnly cookie) and what it claims. The console
 * does not verify the signature — every service does on every call, and refuses a forged token there — it reads the
 * claims only to show each person the pages their roles open, and to turn away what is plainly not a live token.
 */
public record StaffSession(String token, String user, List<String> roles, Instant expiresAt) {
    public static final String COOKIE = "ehr_console_session";
    private static final ObjectMapper JSON = new ObjectMapper();

    public boolean has(String role) {
        return roles.contains(role);
    }

    public boolean hasAny(List<String> wanted) {
        return wanted.stream().anyMatch(roles::contains);
    }

    /**
     * @throws IllegalArgumentException with a sentence for the sign-in page when the text is not a JWT, has no user,
     *                                  carries no staff role or has expired
     */
    public static StaffSession of(String token, Instant now) {
        String t = token == null ? "" : token.strip();
        if (t.regionMatches(true, 0, "Bearer ", 0, 7)) {
            t = t.substring(7).strip();
        }
        String[] parts = t.split("\\.");
        if (parts.length != 3 || !t.matches("[A-Za-z0-9_\\-.]+")) {
            throw new IllegalArgumentException("TOKEN_FORMAT: that is not a staff token (three base64url parts separated by dots)");
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalArgumentException("TOKEN_FORMAT: the token's claims cannot be read");
        }
        String user = claims.path("upn").asText(claims.path("sub").asText(""));
        if (user.isBlank()) {
            throw new IllegalArgumentException("TOKEN_USER: the token names no user (upn or sub)");
        }
        List<String> roles = new ArrayList<>();
        claims.path("groups").forEach(g -> {
            if (Roles.ALL.contains(g.asText())) {
                roles.add(g.asText());
            }
        });
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("TOKEN_ROLES: the token carries none of the staff roles " + Roles.ALL);
        }
        if (!claims.path("exp").canConvertToLong()) {
            throw new IllegalArgumentException("TOKEN_EXPIRY: the token has no expiry (exp)");
        }
        Instant exp = Instant.ofEpochSecond(claims.path("exp").asLong());
        if (!exp.isAfter(now)) {
            throw new IllegalArgumentException("TOKEN_EXPIRED: the token expired at " + exp + "; get a new one");
        }
        return new StaffSession(t, user, List.copyOf(roles), exp);
    }
}
