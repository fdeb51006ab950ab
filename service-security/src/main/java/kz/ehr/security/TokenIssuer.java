package kz.ehr.security;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The embedded platform's stand-in for an identity provider.
 * <pre>
 *   keygen DIR                          writes DIR/private.pem (owner-only) and DIR/public.pem
 *   issue PRIVATE_PEM USER ROLES [HOURS] prints a token; ROLES is comma-separated (ops,reviewer,auditor,clinician);
 *                                       HOURS 1-12, default 8: the services refuse a token that lives longer
 * </pre>
 * The token's audience is {@value StaffTokens#AUDIENCE}, or {@code $EHR_AUTH_AUDIENCE} when set: the same variable
 * the services read, so both ends agree.
 */
public final class TokenIssuer {
    static final long DEFAULT_HOURS = 8;

    private TokenIssuer() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err, System.getenv(), Clock.systemUTC()));
    }

    /** Does what {@link #main} does, printing to {@code out}/{@code err}; returns the exit code (2 = refused or usage). */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, Clock clock) throws Exception {
        if (args.length >= 2 && args[0].equals("keygen")) {
            Path dir = Files.createDirectories(Path.of(args[1]));
            KeyPair pair = StaffTokens.newKeyPair();
            Path secret = dir.resolve("private.pem");
            Files.writeString(secret, StaffTokens.privatePem(pair.getPrivate()));
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(dir.resolve("public.pem"), StaffTokens.publicPem(pair.getPublic()));
            out.println(dir.resolve("public.pem"));
            return 0;
        }
        if (args.length >= 4 && args.length <= 5 && args[0].equals("issue")) {
            List<String> roles = Arrays.stream(args[3].split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList();
            long hours;
            try {
                hours = args.length > 4 ? Long.parseLong(args[4].strip()) : DEFAULT_HOURS;
            } catch (NumberFormatException e) {
                err.println("TOKEN_LIFETIME: HOURS must be a whole number from 1 to " + StaffTokens.MAX_LIFETIME.toHours()
                        + ", got \"" + args[4] + "\"");
                return 2;
            }
            String audience = env.getOrDefault(StaffTokens.AUDIENCE_ENV, "");
            try {
                out.println(StaffTokens.sign(StaffTokens.readPrivatePem(Files.readString(Path.of(args[1]))), args[2], roles,
                        clock.instant(), Duration.ofHours(hours), audience.isBlank() ? StaffTokens.AUDIENCE : audience.strip()));
                return 0;
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return 2;
            }
        }
        err.println("usage: TokenIssuer keygen DIR | TokenIssuer issue PRIVATE_PEM USER ROLE[,ROLE] [HOURS 1-"
                + StaffTokens.MAX_LIFETIME.toHours() + ", default " + DEFAULT_HOURS + "]");
        return 2;
    }
}
