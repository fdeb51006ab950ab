package kz.ehr.certificates.rendering;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

import javax.imageio.ImageIO;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.certificates.issuance.IssuedCertificate;
import kz.ehr.certificates.verifier.QrPayload;

/** The two human forms of a certificate: a QR code of the signed token for screens, and the printable document. */
@ApplicationScoped
public class CertificateRenderer {
    static final String CLASSPATH = "classpath:";

    @Inject
    CertificatesConfig config;

    private CertificateDocument document;

    @PostConstruct
    void init() {
        CertificatesConfig.Document d = config.document();
        kz.ehr.identity.Bin.problem(config.issuerBin()).ifPresent(p -> {
            // printed on every document and signed into certificates: refuse to start rather than print a wrong one
            throw new IllegalStateException("ehr.certificates.issuer-bin " + p.code() + ": the configured BIN " + p.reason());
        });
        document = new CertificateDocument(new CertificateDocument.Issuer(d.issuerNameKk(), d.issuerNameRu(), config.issuerBin(),
                d.verifyUrl(), ZoneId.of(config.zone())), font(config.pdfFont()), font(d.pdfFontBold()));
    }

    /** PNG of the whole token as one QR code (a screen shows any version); paper splits it, see {@link QrCodes}. */
    public byte[] qrPng(IssuedCertificate cert, int moduleSize) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(qrImage(QrPayload.encode(cert.token()), moduleSize), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage qrImage(String text, int moduleSize) {
        return QrCodes.screenImage(text, moduleSize);
    }

    public byte[] pdf(IssuedCertificate cert) {
        return document.pdf(cert);
    }

    /** A font file, or one bundled with the service ({@code classpath:fonts/…}, DejaVu, licence beside it). */
    static byte[] font(String location) {
        try {
            if (location.startsWith(CLASSPATH)) {
                try (InputStream in = CertificateRenderer.class.getClassLoader().getResourceAsStream(location.substring(CLASSPATH.length()))) {
                    if (in == null) {
                        throw new IllegalStateException("PDF font " + location + " is not on the class path");
                    }
                    return in.readAllBytes();
                }
            }
            Path path = Path.of(location);
            if (!Files.isReadable(path)) {
                throw new IllegalStateException("PDF font " + path + " is missing; set ehr.certificates.pdf-font / document.pdf-font-bold");
            }
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
