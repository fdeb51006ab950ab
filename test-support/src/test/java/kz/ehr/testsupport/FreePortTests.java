package kz.ehr.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import kz.ehr.local.LocalKafkaBroker;

/**
 * The ports the tests start services on: outside the range the kernel hands to outgoing connections, so no connection
 * to the broker or PostgreSQL can take one between the pick and the service's bind, and never the same one twice.
 */
class FreePortTests {
    @Test
    void portsComeFromBelowTheEphemeralRangeAndAreNotRepeated() throws IOException {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int ephemeralLow = Files.exists(range) ? Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]) : 49_152;
        assertThat(ephemeralLow).as("the kernel's first ephemeral port").isGreaterThan(1_024);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = LocalKafkaBroker.freePort();
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
            if (ephemeralLow > 21_000) {
                assertThat(port).isBetween(20_000, ephemeralLow - 1);
            }
            try (ServerSocket bound = new ServerSocket()) {
                bound.bind(new InetSocketAddress(port));
            }
        }
    }
}
