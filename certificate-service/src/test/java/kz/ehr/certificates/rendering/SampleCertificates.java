package kz.ehr.certificates.rendering;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import kz.ehr.certificates.eligibility.CertificateType;
import kz.ehr.certificates.eligibility.Decision;
import kz.ehr.certificates.eligibility.DispensaryRegister;
import kz.ehr.certificates.eligibility.EligibilityPolicy;
import kz.ehr.certificates.eligibility.EligibilityRules;
import kz.ehr.certificates.eligibility.PersonFacts;
import kz.ehr.certificates.issuance.IssuedCertificate;
import kz.ehr.certificates.verifier.CertificateJws;
import kz.ehr.certificates.verifier.EcJwk;

/**
 * Certificates of every form as the service issues them: the eligibility rules over a person's facts decide the
 * content, a fresh P-256 key signs the claims. Names carry every Kazakh letter, so a test sees them come back.
 */
final class SampleCertificates {
    static final ZoneId ZONE = ZoneId.of("Asia/Almaty");
    static final LocalDate TODAY = LocalDate.of(2026, 11, 28);
    static final Instant NOW = TODAY.atTime(10, 30).atZone(ZONE).toInstant();
    /** The demo organisation of application.properties. */
    static final CertificateDocument.Issuer ISSUER = new CertificateDocument.Issuer("«Денсаулық» демо медициналық орталығы",
            "Демо медицинский центр «Денсаулық»", "200440012346", "http://localhost:8083/verify", ZONE);
    static final String EXAM_FACILITY_BIN = "990340000013";

    static final String ADULT_IIN = "900101400013";
    static final String ADULT_NAME = "Жұмабаева Әйгерім Серікқызы";
    static final String CHILD_IIN = "190101500019";
    /** Ә Ғ Қ Ң Ө Ұ Ү Һ І, and their small letters, between the two children's names. */
    static final String CHILD_NAME = "Һасенұлы Өмірғали Іңкәрұлы";

    static final String[] VACCINES = {"БЦЖ", "ВГВ", "ОПВ", "ИПВ", "АКДС", "Hib", "ПКВ", "КПК", "АДС-М", "ВГА", "Ротавирус", "ВПЧ", "Грипп"};

    final KeyPair keys;
    final EcJwk jwk;
    private final EligibilityRules rules;

    SampleCertificates() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        keys = g.generateKeyPair();
        jwk = EcJwk.of((ECPublicKey) keys.getPublic());
        Map<CertificateType, Period> validity = new EnumMap<>(CertificateType.class);
        for (CertificateType t : CertificateType.values()) {
            validity.put(t, Period.ofYears(1));
        }
        rules = new EligibilityRules(new EligibilityPolicy(validity, Map.of(), Period.ofYears(1), 18, Set.of("ABNORMAL")));
    }

    /** A certificate of {@code type} for a person with {@code immunizations} vaccinations (the child forms take the child). */
    IssuedCertificate issue(CertificateType type, int immunizations) {
        boolean child = type.childOnly || type == CertificateType.F063;
        PersonFacts.Builder b = child
                ? PersonFacts.builder(CHILD_IIN).counted().name("Һасенұлы", "Өмірғали", "Іңкәрұлы").birth(LocalDate.of(2019, 1, 1), "M")
                : PersonFacts.builder(ADULT_IIN).counted().name("Жұмабаева", "Әйгерім", "Серікқызы").birth(LocalDate.of(1990, 1, 1), "F");
        LocalDate recent = TODAY.minusMonths(2);
        for (String purpose : List.of("EMPLOYMENT", "DRIVER", "STUDY", "SCHOOL")) {
            b.exam(purpose, "FIT", recent, "D-17", EXAM_FACILITY_BIN);
        }
        b.observation("FLUOROGRAPHY", "NORMAL", recent).registration(DispensaryRegister.TB, false, TODAY.minusYears(3));
        for (int i = 0; i < immunizations; i++) {
            b.immunization(VACCINES[i % VACCINES.length] + (i >= VACCINES.length ? "-" + i : ""), i % 4 + 1,
                    LocalDate.of(2019, 1, 3).plusDays(41L * i));
        }
        if (type == CertificateType.F052) {
            b.attachment("990440000123", LocalDate.of(2019, 1, 5), null).observation("BLOOD_GROUP", "A(II) Rh+", LocalDate.of(2019, 2, 1))
                    .observation("ALLERGY", "пенициллин", LocalDate.of(2021, 3, 1)).observation("ALLERGY", "тозаң (полынь)", LocalDate.of(2022, 5, 1))
                    .encounter(LocalDate.of(2023, 2, 10), "VISIT", List.of("J06.9")).encounter(LocalDate.of(2024, 11, 2), "VISIT", List.of("J20.9", "H66.9"))
                    .encounter(LocalDate.of(2025, 9, 1), "SCREENING", List.of()).encounter(LocalDate.of(2026, 9, 1), "SCREENING", List.of())
                    .hospitalization("990540000456", LocalDate.of(2024, 11, 3), LocalDate.of(2024, 11, 9));
        }
        Decision d = rules.evaluate(type, b.build(), TODAY);
        if (!d.eligible()) {
            throw new IllegalStateException(type + " sample is not eligible: " + d.codes());
        }
        String number = type.name() + "-20261128-7KQ2M9XH4T";
        Instant expires = d.expiresOn().atStartOfDay(ZONE).toInstant();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", "https://certificates.ehr.kz");
        c.put("no", number);
        c.put("typ", type.name());
        c.put("form", type.form);
        c.put("sub", child ? CHILD_IIN : ADULT_IIN);
        c.put("name", child ? CHILD_NAME : ADULT_NAME);
        c.put("bd", child ? "2019-01-01" : "1990-01-01");
        c.put("bin", d.facilityBin() != null ? d.facilityBin() : ISSUER.bin());
        if (d.doctorId() != null) {
            c.put("doc", d.doctorId());
        }
        c.put("iat", NOW.getEpochSecond());
        c.put("exp", expires.getEpochSecond());
        c.put("concl", d.conclusion());
        if (!d.content().isEmpty()) {
            c.put("c", d.content());
        }
        String token = CertificateJws.sign(c, jwk.kid(), keys.getPrivate());
        return new IssuedCertificate(number, type.name(), (String) c.get("sub"), jwk.kid(), NOW, expires, d.conclusion(), token,
                null, null, CertificateJws.unverifiedClaims(token));
    }
}
