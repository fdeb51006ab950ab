package kz.ehr.certificates.rendering;

import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

import com.google.zxing.common.BitMatrix;

import kz.ehr.certificates.eligibility.CertificateType;
import kz.ehr.certificates.issuance.IssuedCertificate;
import kz.ehr.certificates.verifier.QrPayload;

/**
 * The printable document of a certificate, laid out like the paper form it replaces: ministry and issuer heading,
 * the form's number and name in Kazakh and Russian (English below), the person, the dates, the content as tables
 * (every immunization, over as many pages as it takes), and the QR code(s) of the signed token. Everything printed
 * comes from the signed claims, so the paper says nothing the QR does not prove. The 052-2/у health passport is an
 * A5 booklet with one section per page; the other forms are A4. Plain Java: no framework, for tests and tools.
 */
public final class CertificateDocument {
    /** Who issues the documents, and where they are checked. */
    public record Issuer(String nameKk, String nameRu, String bin, String verifyUrl, ZoneId zone) {
    }

    /** Module size on paper: 0.5 mm, so a version-22 code is 56 mm wide, what a phone reads at arm's length. */
    static final float PAPER_MODULE_POINTS = 0.5f * 72 / 25.4f;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yyyy");

    private final Issuer issuer;
    private final byte[] regularFont;
    private final byte[] boldFont;

    /** @param regularFont, boldFont TrueType fonts with Cyrillic and the Kazakh letters (embedded as subsets) */
    public CertificateDocument(Issuer issuer, byte[] regularFont, byte[] boldFont) {
        this.issuer = issuer;
        this.regularFont = regularFont;
        this.boldFont = boldFont;
    }

    public byte[] pdf(IssuedCertificate cert) {
        CertificateType type = CertificateType.valueOf(cert.type());
        try (PDDocument doc = new PDDocument()) {
            // (the RandomAccessRead overload with closeTTF=true loses the glyph widths in PDFBox 3.0.8: text extracts a letter a line)
            PDType0Font regular = PDType0Font.load(doc, new ByteArrayInputStream(regularFont));
            PDType0Font bold = PDType0Font.load(doc, new ByteArrayInputStream(boldFont));
            boolean booklet = type == CertificateType.F052;
            PdfCanvas c = new PdfCanvas(doc, regular, bold, booklet ? PDRectangle.A5 : PDRectangle.A4, booklet ? 34 : 42);
            FormTexts.Form form = FormTexts.form(type);
            Map<String, Object> claims = cert.claims();
            Map<?, ?> content = claims.get("c") instanceof Map<?, ?> m ? m : Map.of();

            c.newPage();
            heading(c, form, cert);
            person(c, cert);
            if (booklet) {
                c.newPage(); // inside the cover: an A5 cover has no room left for codes a phone reads
                verification(c, cert);
                booklet(c, content, cert);
            } else {
                verification(c, cert);
                switch (type) {
                    case F063 -> immunizations(c, content);
                    case F075, F083, F086, F026 -> {
                        exam(c, form, cert);
                        registers(c, content, cert);
                    }
                    default -> registers(c, content, cert);
                }
            }
            c.footers("№ " + cert.number() + (form.code() == null ? "" : " · " + form.code()));

            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle(form.title().ru() + " " + cert.number());
            info.setSubject(form.title().kk());
            info.setCreator(issuer.nameRu());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void heading(PdfCanvas c, FormTexts.Form form, IssuedCertificate cert) {
        float half = c.width() / 2 - 6;
        float top = c.y();
        c.paragraph(FormTexts.MINISTRY.kk(), c.regular, 7.5f, PdfCanvas.GREY, 0, c.left(), half);
        c.paragraph(issuer.nameKk(), c.bold, 8.5f, Color.BLACK, 0, c.left(), half);
        c.paragraph(FormTexts.BIN.kk() + " " + issuer.bin(), c.regular, 8, Color.BLACK, 0, c.left(), half);
        float leftBottom = c.y();
        float rightX = c.left() + c.width() / 2 + 6;
        resetTo(c, top); // the Russian column beside the Kazakh one
        c.paragraph(FormTexts.MINISTRY.ru(), c.regular, 7.5f, PdfCanvas.GREY, 2, rightX, half);
        c.paragraph(issuer.nameRu(), c.bold, 8.5f, Color.BLACK, 2, rightX, half);
        c.paragraph(FormTexts.BIN.ru() + " " + issuer.bin(), c.regular, 8, Color.BLACK, 2, rightX, half);
        c.moveTo(leftBottom);
        c.space(4);
        c.rule();
        FormTexts.Text formLine = FormTexts.formLine(form);
        c.paragraph(formLine.kk() + "   ·   " + formLine.ru(), c.regular, 8, PdfCanvas.GREY, 2);
        c.space(6);
        float titleSize = form.title().ru().length() > 45 ? 12 : 13.5f;
        c.paragraph(form.title().kk(), c.bold, titleSize, Color.BLACK, 1);
        c.paragraph(form.title().ru(), c.bold, titleSize, Color.BLACK, 1);
        c.paragraph(form.title().en(), c.regular, 9, PdfCanvas.GREY, 1);
        c.space(4);
        c.paragraph("№ " + cert.number(), c.bold, 11, Color.BLACK, 1);
        c.space(8);
    }

    /** Puts the cursor back to {@code top} for a second column (the canvas only moves down otherwise). */
    private static void resetTo(PdfCanvas c, float top) {
        c.space(c.y() - top);
    }

    private void person(PdfCanvas c, IssuedCertificate cert) {
        Map<String, Object> claims = cert.claims();
        float label = c.width() * 0.36f;
        c.labelValue(three(FormTexts.PERSON), (String) claims.get("name"), label);
        c.labelValue(three(FormTexts.IIN), cert.iin(), label);
        c.labelValue(three(FormTexts.BIRTH_DATE), date((String) claims.get("bd")), label);
        c.labelValue(three(FormTexts.ISSUER), issuer.nameKk() + " / " + issuer.nameRu() + ", " + FormTexts.BIN.both() + " " + issuer.bin(), label);
        Object bin = claims.get("bin");
        if (bin != null && !bin.equals(issuer.bin())) {
            c.labelValue(three(FormTexts.EXAM_FACILITY), String.valueOf(bin), label);
        }
        if (claims.get("doc") != null) {
            c.labelValue(three(FormTexts.DOCTOR), String.valueOf(claims.get("doc")), label);
        }
        c.labelValue(three(FormTexts.ISSUED), day(cert.issuedAt()), label);
        // exp is the start of the expiry day: the last day of validity is the day before
        c.labelValue(three(FormTexts.VALID_UNTIL), DATE.format(cert.expiresAt().atZone(issuer.zone()).toLocalDate().minusDays(1)), label);
        c.space(10);
    }

    private void exam(PdfCanvas c, FormTexts.Form form, IssuedCertificate cert) {
        section(c, FormTexts.EXAM_SECTION);
        List<String[]> rows = new ArrayList<>();
        if (form.purpose() != null) {
            rows.add(new String[] {FormTexts.PURPOSE.both(), form.purpose().both()});
        }
        rows.add(new String[] {FormTexts.CONCLUSION.both(), FormTexts.conclusion(cert.conclusion()).both()});
        c.table(null, new float[] {1, 2}, rows);
        c.space(10);
    }

    private void registers(PdfCanvas c, Map<?, ?> content, IssuedCertificate cert) {
        if (!(content.get("notRegistered") instanceof List<?> registers) || registers.isEmpty()) {
            return;
        }
        section(c, FormTexts.REGISTERS_SECTION);
        List<String[]> rows = new ArrayList<>();
        for (Object r : registers) {
            rows.add(new String[] {FormTexts.register(String.valueOf(r)).both(), FormTexts.NOT_REGISTERED.both(), day(cert.issuedAt())});
        }
        c.table(new String[] {FormTexts.REGISTER.both(), FormTexts.STATUS.both(), FormTexts.CHECKED_ON.both()},
                new float[] {2, 2, 1.2f}, rows);
        c.space(10);
    }

    private void immunizations(PdfCanvas c, Map<?, ?> content) {
        section(c, FormTexts.IMMUNIZATIONS_SECTION);
        List<String[]> rows = new ArrayList<>();
        int n = 0;
        for (Object item : content.get("immunizations") instanceof List<?> l ? l : List.of()) {
            Immunization i = Immunization.parse(String.valueOf(item));
            rows.add(new String[] {String.valueOf(++n), i.vaccine(), i.dose(), date(i.date())});
        }
        if (rows.isEmpty()) {
            c.paragraph(FormTexts.NONE.both(), c.regular, 9.5f, PdfCanvas.GREY, 0);
            return;
        }
        c.table(new String[] {FormTexts.NO.kk(), three(FormTexts.VACCINE), three(FormTexts.DOSE), three(FormTexts.VACCINATION_DATE)},
                new float[] {0.5f, 4, 1, 1.6f}, rows);
        c.space(10);
    }

    /** The 052-2/у booklet after its cover: one section a page, as in the printed passport. */
    private void booklet(PdfCanvas c, Map<?, ?> content, IssuedCertificate cert) {
        c.newPage();
        section(c, FormTexts.GENERAL_SECTION);
        float label = c.width() * 0.4f;
        c.labelValue(three(FormTexts.BIRTH_DATE), date(content.get("birthDate") == null ? null : String.valueOf(content.get("birthDate"))), label);
        c.labelValue(three(FormTexts.POLYCLINIC), content.get("polyclinic") == null ? null : String.valueOf(content.get("polyclinic")), label);
        c.labelValue(three(FormTexts.BLOOD_GROUP), content.get("bloodGroup") == null ? null : String.valueOf(content.get("bloodGroup")), label);
        List<String> allergies = strings(content.get("allergies"));
        c.labelValue(three(FormTexts.ALLERGIES), allergies.isEmpty() ? FormTexts.NONE.both() : String.join("; ", allergies), label);

        c.newPage();
        section(c, FormTexts.DISEASES_SECTION);
        list(c, FormTexts.DIAGNOSIS, strings(content.get("diseases")), false);
        c.space(10);
        section(c, FormTexts.HOSPITAL_SECTION);
        List<String[]> stays = new ArrayList<>();
        for (String h : strings(content.get("hospitalizations"))) {
            String[] parts = h.split("/", 2);
            stays.add(new String[] {String.valueOf(stays.size() + 1), date(parts[0]), parts.length > 1 ? date(parts[1]) : "—"});
        }
        if (stays.isEmpty()) {
            c.paragraph(FormTexts.NONE.both(), c.regular, 9, PdfCanvas.GREY, 0);
        } else {
            c.table(new String[] {FormTexts.NO.kk(), three(FormTexts.ADMITTED), three(FormTexts.DISCHARGED)}, new float[] {0.6f, 3, 3}, stays);
        }

        c.newPage();
        section(c, FormTexts.CHECKUPS_SECTION);
        list(c, FormTexts.CHECKUP_DATE, strings(content.get("checkups")), true);

        c.newPage();
        immunizations(c, content);
    }

    private static void list(PdfCanvas c, FormTexts.Text column, List<String> items, boolean dates) {
        if (items.isEmpty()) {
            c.paragraph(FormTexts.NONE.both(), c.regular, 9, PdfCanvas.GREY, 0);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        for (String item : items) {
            rows.add(new String[] {String.valueOf(rows.size() + 1), dates ? date(item) : item});
        }
        c.table(new String[] {FormTexts.NO.kk(), three(column)}, new float[] {0.6f, 6}, rows);
    }

    /**
     * The QR code(s) and how to check, before the content so that they are on the first page of every form (inside the
     * cover of the booklet); the text goes beside the codes where there is room, else below them.
     */
    private void verification(PdfCanvas c, IssuedCertificate cert) {
        List<String> texts = QrCodes.paperTexts(QrPayload.encode(cert.token()));
        List<BitMatrix> codes = texts.stream().map(QrCodes::paperMatrix).toList();
        float module = PAPER_MODULE_POINTS;
        float side = codes.get(0).getWidth() * module;
        float gap = 6;
        int perRow = Math.max(1, (int) ((c.width() + gap) / (side + gap)));
        int rows = (codes.size() + perRow - 1) / perRow;
        float codesWidth = Math.min(codes.size(), perRow) * (side + gap);
        float besideWidth = c.width() - codesWidth - 4;
        boolean beside = besideWidth >= 150;
        c.ensure(rows * (side + gap) + (beside ? 0 : 90));
        c.rule();
        float top = c.y();
        for (int i = 0; i < codes.size(); i++) {
            float x = c.left() + (i % perRow) * (side + gap);
            float rowTop = top - (i / perRow) * (side + gap);
            c.qr(codes.get(i), x, rowTop, module);
            if (codes.size() > 1) {
                c.show((i + 1) + "/" + codes.size(), c.bold, 8, Color.BLACK, x + 4 * module, rowTop - side + 1);
            }
        }
        float x = beside ? c.left() + codesWidth + 4 : c.left();
        float w = beside ? besideWidth : c.width();
        if (!beside) {
            c.moveTo(top - rows * (side + gap));
        }
        c.paragraph(FormTexts.VERIFY.kk(), c.regular, 8.5f, Color.BLACK, 0, x, w);
        c.paragraph(FormTexts.VERIFY.ru(), c.regular, 8.5f, Color.BLACK, 0, x, w);
        c.paragraph(issuer.verifyUrl(), c.bold, 10, Color.BLACK, 0, x, w);
        if (codes.size() > 1) {
            c.space(3);
            c.paragraph(FormTexts.partsNote(codes.size()).kk(), c.bold, 8.5f, Color.BLACK, 0, x, w);
            c.paragraph(FormTexts.partsNote(codes.size()).ru(), c.bold, 8.5f, Color.BLACK, 0, x, w);
        }
        c.space(3);
        c.paragraph(FormTexts.SIGNED.kk() + " / " + FormTexts.SIGNED.ru() + " (ES256; " + FormTexts.KEY.both() + " " + cert.kid() + ")",
                c.regular, 7, PdfCanvas.GREY, 0, x, w);
        c.moveTo(top - rows * (side + gap));
        c.space(8);
    }

    private static void section(PdfCanvas c, FormTexts.Text title) {
        c.ensure(95); // the title never stays alone at the foot of a page
        c.paragraph(title.kk() + " / " + title.ru(), c.bold, 11, Color.BLACK, 0);
        c.paragraph(title.en(), c.regular, 8, PdfCanvas.GREY, 0);
        c.space(3);
    }

    private static String three(FormTexts.Text t) {
        return t.both() + " / " + t.en();
    }

    private String day(Instant instant) {
        return DATE.format(instant.atZone(issuer.zone()).toLocalDate());
    }

    private static String date(String iso) {
        if (iso == null || iso.isBlank()) {
            return null;
        }
        try {
            return DATE.format(LocalDate.parse(iso.trim()));
        } catch (java.time.format.DateTimeParseException e) {
            return iso;
        }
    }

    private static List<String> strings(Object list) {
        return list instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    /** An immunization as the signed content lists it: {@code 2019-01-03 BCG #1} (date, vaccine, optional dose). */
    record Immunization(String date, String vaccine, String dose) {
        static Immunization parse(String item) {
            String s = item.trim();
            int space = s.indexOf(' ');
            if (space != 10) {
                return new Immunization(null, s, "—");
            }
            String rest = s.substring(space + 1);
            int hash = rest.lastIndexOf(" #");
            if (hash >= 0 && rest.substring(hash + 2).chars().allMatch(Character::isDigit) && hash + 2 < rest.length()) {
                return new Immunization(s.substring(0, 10), rest.substring(0, hash), rest.substring(hash + 2));
            }
            return new Immunization(s.substring(0, 10), rest, "—");
        }
    }
}
