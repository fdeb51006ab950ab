package kz.ehr.certificates.signing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import kz.ehr.certificates.config.CertificatesConfig;

/** The service's key ring, opened (or created) at start from the configured keystore. */
@ApplicationScoped
public class SigningKeys {
    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    @Inject
    CertificatesConfig config;

    private volatile KeyRing ring;

    void start(@Observes StartupEvent event) throws Exception {
        ring();
    }

    public KeyRing ring() {
        KeyRing r = ring;
        if (r == null) {
            synchronized (this) {
                if (ring == null) {
                    try {
                        ring = KeyRing.open(Path.of(config.keys().keystorePath()), config.keys().keystorePassword().orElse(null));
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot open the signing keystore " + config.keys().keystorePath(), e);
                    }
                    // the key id is public; the path tells ops where the keys live
                    LOG.infof("signing with key %s from %s (%d keys)", ring.current().jwk().kid(),
                            config.keys().keystorePath(), ring.all().size());
                }
                r = ring;
            }
        }
        return r;
    }

    /** JWKS document: every key, the signing one marked current and the others retired. */
    public Map<String, Object> jwks() {
        KeyRing r = ring();
        List<Map<String, Object>> keys = new ArrayList<>();
        for (KeyRing.SigningKey k : r.all()) {
            keys.add(k.jwk().toJson(k == r.current() ? "current" : "retired"));
        }
        return Map.of("keys", keys);
    }

    public KeyRing.SigningKey rotate() throws Exception {
        KeyRing.SigningKey fresh = ring().rotate();
        LOG.infof("rotated signing key: now %s", fresh.jwk().kid());
        return fresh;
    }
}
