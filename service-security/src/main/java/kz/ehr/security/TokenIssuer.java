package kz.ehr.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The embedded platform's stand-in for an identity provider.
 * <pre>
 *   keygen DIR                          writes DIR/private.pem (owner-only) and DIR/public.pem
 *   issue PRIVATE_PEM USER ROLES [HOURS] prints a token; ROLES is comma-separated (ops,reviewer,auditor,clinician)
 * </pre>
 */
public final class TokenIssuer {
    private TokenIssuer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("keygen")) {
            Path dir = Files.createDirectories(Path.of(args[1]));
            KeyPair pair = StaffTokens.newKeyPair();
            Path secret = dir.resolve("private.pem");
            Files.writeString(secret, StaffTokens.privatePem(pair.getPrivate()));
            Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
            Files.writeString(dir.resolve("public.pem"), StaffTokens.publicPem(pair.getPublic()));
            System.out.println(dir.resolve("public.pem"));
        } else if (args.length >= 4 && args[0].equals("issue")) {
            List<String> roles = Arrays.stream(args[3].split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList();
            Duration ttl = Duration.ofHours(args.length > 4 ? Long.parseLong(args[4]) : 8);
            System.out.println(StaffTokens.sign(StaffTokens.readPrivatePem(Files.readString(Path.of(args[1]))),
                    args[2], roles, Instant.now(), ttl));
        } else {
            System.err.println("usage: TokenIssuer keygen DIR | TokenIssuer issue PRIVATE_PEM USER ROLE[,ROLE] [HOURS]");
            System.exit(2);
        }
    }
}
