package kz.ehr.certificates.rendering;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.certificates.issuance.IssuedCertificate;
import kz.ehr.certificates.verifier.QrPayload;

/** The two human forms of a certificate: a QR code holding the signed token, and a PDF with that QR and the content. */
@ApplicationScoped
public class CertificateRenderer {
    @Inject
    CertificatesConfig config;

    /** PNG of the QR code; error correction M survives a creased printout. */
    public byte[] qrPng(IssuedCertificate cert, int moduleSize) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(qrImage(QrPayload.encode(cert.token()), moduleSize), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Error correction M (survives a creased printout), or L when the token is too long for M. */
    static BufferedImage qrImage(String text, int moduleSize) {
        BitMatrix m;
        try {
            m = encode(text, ErrorCorrectionLevel.M);
        } catch (WriterException tooLongForM) {
            // a long health passport: less redundancy rather than no QR at all
            try {
                m = encode(text, ErrorCorrectionLevel.L);
            } catch (WriterException e) {
                throw new IllegalStateException("certificate token does not fit one QR code", e);
            }
        }
        BufferedImage img = new BufferedImage(m.getWidth() * moduleSize, m.getHeight() * moduleSize, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, m.get(x / moduleSize, y / moduleSize) ? 0x000000 : 0xFFFFFF);
            }
        }
        return img;
    }

    private static BitMatrix encode(String text, ErrorCorrectionLevel level) throws WriterException {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        hints.put(EncodeHintType.ERROR_CORRECTION, level);
        hints.put(EncodeHintType.MARGIN, 4);
        return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
    }

    public byte[] pdf(IssuedCertificate cert) {
        Path font = Path.of(config.pdfFont());
        if (!Files.isReadable(font)) {
            throw new IllegalStateException("PDF font " + font + " is missing; set ehr.certificates.pdf-font");
        }
        ZoneId zone = ZoneId.of(config.zone());
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            PDType0Font f = PDType0Font.load(doc, font.toFile());
            PDImageXObject qr = LosslessFactory.createFromImage(doc, qrImage(QrPayload.encode(cert.token()), 3));
            Map<String, Object> c = cert.claims();
            List<String> lines = new ArrayList<>();
            lines.add("Form " + c.get("form") + "  (" + cert.type() + ")");
            lines.add("No. " + cert.number());
            lines.add("Name: " + c.get("name"));
            lines.add("IIN: " + cert.iin() + (c.get("bd") == null ? "" : "   born " + c.get("bd")));
            lines.add("Issuer BIN: " + c.get("bin") + (c.get("doc") == null ? "" : "   doctor " + c.get("doc")));
            lines.add("Issued: " + cert.issuedAt().atZone(zone).toLocalDate() + "   valid until: "
                    + cert.expiresAt().atZone(zone).toLocalDate().minusDays(1));
            lines.add("Conclusion: " + c.get("concl"));
            if (c.get("c") instanceof Map<?, ?> content) {
                content.forEach((k, v) -> lines.add(k + ": " + (v instanceof List<?> l ? String.join("; ", l.stream().map(String::valueOf).toList()) : v)));
            }
            lines.add("Key: " + cert.kid());
            lines.add("Verify: scan the QR or POST its text to /api/v1/verifications.");
            try (PDPageContentStream s = new PDPageContentStream(doc, page)) {
                float size = Math.min(300, qr.getWidth());
                s.drawImage(qr, 50, 820 - size, size, size * qr.getHeight() / qr.getWidth());
                s.beginText();
                s.setFont(f, 11);
                s.setLeading(15);
                s.newLineAtOffset(50, 490);
                for (String line : lines) {
                    for (String part : wrap(line, 95)) {
                        s.showText(part);
                        s.newLine();
                    }
                }
                s.endText();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> wrap(String line, int width) {
        List<String> out = new ArrayList<>();
        String rest = line.replace('\n', ' ');
        while (rest.length() > width) {
            out.add(rest.substring(0, width));
            rest = "    " + rest.substring(width);
        }
        out.add(rest);
        return out;
    }
}
