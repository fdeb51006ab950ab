package kz.ehr.certificates.config;

import java.time.Duration;
import java.time.Period;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import kz.ehr.certificates.eligibility.CertificateType;
import kz.ehr.certificates.eligibility.EligibilityPolicy;

/** Every tunable of the certificate service; keys are {@code ehr.certificates.*}. */
@ConfigMapping(prefix = "ehr.certificates")
public interface CertificatesConfig {
    /** The {@code iss} claim of every certificate. */
    @WithDefault("https://certificates.ehr.kz")
    String issuer();

    /**
     * BIN of the issuing organisation, printed on every document and written into certificates that no exam stands
     * behind (clearances, 063/у, 052-2/у). application.properties sets the embedded platform's demo organisation.
     */
    String issuerBin();

    /** Time zone of certificate dates: a certificate expires at the start of its expiry day here. */
    @WithDefault("Asia/Almaty")
    String zone();

    Keys keys();

    Validity validity();

    ExamWindow examWindow();

    ExamPurposes examPurposes();

    /** Types that need a recent fluorography without findings as evidence. */
    @WithDefault("F075,F086,TB_CLEARANCE")
    Set<CertificateType> fluorographyRequiredFor();

    /** How long a fluorography counts as evidence (075/у, 086/у, TB clearance). */
    @WithDefault("P1Y")
    Period fluorographyWindow();

    /** Fluorography observation values that mean a finding; such a fluorography supports no certificate. */
    @WithDefault("ABNORMAL,PATHOLOGY")
    Set<String> abnormalFluorographyValues();

    /** A person is a child (026/у, 052-2/у) below this age in years. */
    @WithDefault("18")
    int childMaxAgeYears();

    /** mpi.links.v1 link types that revoke the touched persons' certificates with IDENTITY_CHANGED. */
    @WithDefault("MERGED,UNMERGED")
    List<String> identityChangeLinkTypes();

    /** How often the in-memory revocation index used by verification picks up revocations (and key withdrawals). */
    @WithDefault("1s")
    Duration revocationRefresh();

    /**
     * How old the revocation index may grow (since its last successful read of the database) before verification
     * stops saying VALID and answers {@code CANNOT_CONFIRM}: a database outage must not let a revoked certificate pass.
     */
    @WithDefault("30s")
    Duration revocationMaxStaleness();

    /** How many verified signatures the verifier remembers; ECDSA verification dominates the cost of a check. */
    @WithDefault("100000")
    int verifiedSignatureCache();


    /** TrueType font with Cyrillic and Kazakh letters for the PDF: a file, or {@code classpath:} a bundled one. */
    @WithDefault("classpath:fonts/DejaVuSans.ttf")
    String pdfFont();

    /** The printed document (kz.ehr.certificates.rendering). */
    Document document();

    interface Document {
        /** The issuing organisation's name in Kazakh, printed on every document beside its BIN ({@code issuer-bin}). */
        String issuerNameKk();

        /** The issuing organisation's name in Russian. */
        String issuerNameRu();

        /** Where a reader checks a document, printed under its QR code: this service's public {@code /verify} page. */
        @WithDefault("http://localhost:8083/verify")
        String verifyUrl();

        /** Bold face of {@code pdf-font}. */
        @WithDefault("classpath:fonts/DejaVuSans-Bold.ttf")
        String pdfFontBold();
    }

    /** Limits on the public, unauthenticated {@code POST /api/v1/verifications}. */
    Verification verification();

    interface Verification {
        /**
         * Verifications per second one client (remote address of the connection) may sustain. X-Forwarded-For is
         * not believed unless Quarkus' proxy support is switched on for a trusted proxy
         * ({@code quarkus.http.proxy.proxy-address-forwarding}, {@code quarkus.http.proxy.trusted-proxies}).
         */
        @WithDefault("50")
        double ratePerSecond();

        /** How many verifications a client may make at once before the rate applies (the bucket's size). */
        @WithDefault("100")
        int burst();

        /**
         * Most clients whose buckets are kept; idle full buckets are dropped first, and beyond this number new
         * clients share one bucket, so a flood of addresses cannot exhaust memory nor escape the limit.
         */
        @WithDefault("100000")
        int maxTrackedClients();

        /** Largest request body in bytes; a token, even the biggest health passport's, is far smaller. More → 413. */
        @WithDefault("16384")
        int maxBodyBytes();

        /**
         * Largest image or PDF the public page's {@code POST /verify/scan} reads (a phone photo the page has scaled
         * down, or a PDF of the document). Keep {@code quarkus.http.limits.max-body-size} at least this. More → 413.
         */
        @WithDefault("2097152")
        int maxUploadBytes();

        /** Uploads decoded at once; decoding an image costs far more CPU than a verification. More → 503 + Retry-After. */
        @WithDefault("2")
        int maxConcurrentScans();
    }

    interface Keys {
        /** PKCS12 keystore of the signing keys; created on first start with permissions 600. Keep it out of the repository. */
        @WithDefault("${user.home}/.ehr/certificate-keys/signing-keys.p12")
        String keystorePath();

        /** Keystore password (env {@code EHR_CERT_KEYSTORE_PASSWORD}); when unset, {@link #keystorePasswordFile()} holds it. */
        Optional<String> keystorePassword();

        /**
         * File holding the keystore password (env {@code EHR_CERT_KEYSTORE_PASSWORD_FILE}); it must lie outside the
         * keystore's directory, so that a copy of the keys does not carry their password. Generated (600) for a new
         * keystore; a former {@code <keystore-path>.password} is taken over.
         */
        @WithDefault("${user.home}/.ehr/certificate-keystore.password")
        String keystorePasswordFile();
    }

    /** How long a certificate is valid from issue; capped by the validity of its evidence (exam, fluorography). */
    interface Validity {
        @WithDefault("P1Y") Period f075();
        @WithDefault("P1Y") Period f083();
        @WithDefault("P6M") Period f086();
        @WithDefault("P1Y") Period f026();
        @WithDefault("P1Y") Period f063();
        @WithDefault("P3M") Period psychiatricClearance();
        @WithDefault("P3M") Period narcologicalClearance();
        @WithDefault("P3M") Period tbClearance();
        @WithDefault("P1Y") Period f052();
    }

    /** How long an exam conclusion counts as evidence for each exam-based type. */
    interface ExamWindow {
        @WithDefault("P1Y") Period f075();
        @WithDefault("P1Y") Period f083();
        @WithDefault("P6M") Period f086();
        @WithDefault("P1Y") Period f026();
    }

    /** Which exam purposes count as evidence for each exam-based type (the latest matching exam decides). */
    interface ExamPurposes {
        @WithDefault("EMPLOYMENT,STUDY") Set<String> f075();
        @WithDefault("DRIVER") Set<String> f083();
        @WithDefault("STUDY") Set<String> f086();
        @WithDefault("SCHOOL,KINDERGARTEN") Set<String> f026();
    }

    /** The plain-Java policy the eligibility rules read. */
    default EligibilityPolicy policy() {
        Map<CertificateType, Period> validity = new EnumMap<>(CertificateType.class);
        validity.put(CertificateType.F075, validity().f075());
        validity.put(CertificateType.F083, validity().f083());
        validity.put(CertificateType.F086, validity().f086());
        validity.put(CertificateType.F026, validity().f026());
        validity.put(CertificateType.F063, validity().f063());
        validity.put(CertificateType.PSYCHIATRIC_CLEARANCE, validity().psychiatricClearance());
        validity.put(CertificateType.NARCOLOGICAL_CLEARANCE, validity().narcologicalClearance());
        validity.put(CertificateType.TB_CLEARANCE, validity().tbClearance());
        validity.put(CertificateType.F052, validity().f052());
        Map<CertificateType, Period> exam = new EnumMap<>(CertificateType.class);
        exam.put(CertificateType.F075, examWindow().f075());
        exam.put(CertificateType.F083, examWindow().f083());
        exam.put(CertificateType.F086, examWindow().f086());
        exam.put(CertificateType.F026, examWindow().f026());
        Map<CertificateType, Set<String>> purposes = new EnumMap<>(CertificateType.class);
        purposes.put(CertificateType.F075, Set.copyOf(examPurposes().f075()));
        purposes.put(CertificateType.F083, Set.copyOf(examPurposes().f083()));
        purposes.put(CertificateType.F086, Set.copyOf(examPurposes().f086()));
        purposes.put(CertificateType.F026, Set.copyOf(examPurposes().f026()));
        return new EligibilityPolicy(validity, exam, fluorographyWindow(), childMaxAgeYears(),
                Set.copyOf(abnormalFluorographyValues().stream().map(String::toUpperCase).toList()), purposes,
                Set.copyOf(fluorographyRequiredFor()));
    }
}
