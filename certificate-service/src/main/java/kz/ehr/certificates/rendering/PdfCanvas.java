package kz.ehr.certificates.rendering;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;

import com.google.zxing.common.BitMatrix;

/**
 * A top-to-bottom writer over PDF pages: wrapped text, label/value rows and tables that continue on the next page
 * with their header repeated. Only what the certificate forms need; positions are PDF points from the bottom left.
 */
final class PdfCanvas {
    static final Color GREY = new Color(0x55, 0x55, 0x55);
    static final Color RULE = new Color(0x99, 0x99, 0x99);
    static final Color SHADE = new Color(0xEE, 0xEE, 0xEE);

    final PDDocument doc;
    final PDFont regular;
    final PDFont bold;
    final PDRectangle size;
    final float margin;
    private final float footerSpace = 28;
    private final List<PDPage> pages = new ArrayList<>();
    private PDPageContentStream cs;
    private float y;

    PdfCanvas(PDDocument doc, PDFont regular, PDFont bold, PDRectangle size, float margin) {
        this.doc = doc;
        this.regular = regular;
        this.bold = bold;
        this.size = size;
        this.margin = margin;
    }

    float left() {
        return margin;
    }

    float width() {
        return size.getWidth() - 2 * margin;
    }

    float y() {
        return y;
    }

    int pageCount() {
        return pages.size();
    }

    void newPage() {
        closeStream();
        PDPage page = new PDPage(size);
        doc.addPage(page);
        pages.add(page);
        try {
            cs = new PDPageContentStream(doc, page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        y = size.getHeight() - margin;
    }

    /** Starts a new page unless {@code height} more points fit above the footer. */
    void ensure(float height) {
        if (cs == null || y - height < margin + footerSpace) {
            newPage();
        }
    }

    void space(float points) {
        y -= points;
    }

    /** Wrapped text; {@code align} 0 left, 1 centre, 2 right inside [x, x + w]. */
    void paragraph(String text, PDFont font, float fontSize, Color color, int align) {
        paragraph(text, font, fontSize, color, align, left(), width());
    }

    void paragraph(String text, PDFont font, float fontSize, Color color, int align, float x, float w) {
        float leading = fontSize * 1.3f;
        for (String line : wrap(text, font, fontSize, w)) {
            ensure(leading);
            float lw = textWidth(line, font, fontSize);
            float lx = align == 1 ? x + (w - lw) / 2 : align == 2 ? x + w - lw : x;
            y -= leading;
            show(line, font, fontSize, color, lx, y + leading * 0.25f);
        }
    }

    /** A label (grey, small) above or beside its value; the value in bold. */
    void labelValue(String label, String value, float labelWidth) {
        List<String> labelLines = wrap(label, regular, 8, labelWidth - 6);
        List<String> valueLines = wrap(value == null || value.isBlank() ? "—" : value, bold, 10.5f, width() - labelWidth);
        float h = Math.max(labelLines.size() * 10.4f, valueLines.size() * 13.6f) + 4;
        ensure(h);
        float top = y;
        for (int i = 0; i < labelLines.size(); i++) {
            show(labelLines.get(i), regular, 8, GREY, left(), top - 9 - i * 10.4f);
        }
        for (int i = 0; i < valueLines.size(); i++) {
            show(valueLines.get(i), bold, 10.5f, Color.BLACK, left() + labelWidth, top - 11 - i * 13.6f);
        }
        y = top - h;
    }

    /**
     * A table over the full width; {@code weights} share the width between columns. Rows never split: a row that does
     * not fit goes to the next page, under the repeated header ({@code header} null: a table without one).
     */
    void table(String[] header, float[] weights, List<String[]> rows) {
        float total = 0;
        for (float w : weights) {
            total += w;
        }
        float[] widths = new float[weights.length];
        for (int i = 0; i < weights.length; i++) {
            widths[i] = width() * weights[i] / total;
        }
        float headerHeight = header == null ? 0 : rowHeight(header, widths, regular, 7.5f);
        boolean headerDrawn = false;
        for (String[] row : rows) {
            float h = rowHeight(row, widths, regular, 9.5f);
            if (!headerDrawn || y - h < margin + footerSpace) {
                ensure(headerHeight + h);
                if (header != null) {
                    drawRow(header, widths, regular, 7.5f, GREY, SHADE, headerHeight);
                }
                headerDrawn = true;
            }
            drawRow(row, widths, regular, 9.5f, Color.BLACK, null, h);
        }
        if (!headerDrawn && header != null) {
            ensure(headerHeight);
            drawRow(header, widths, regular, 7.5f, GREY, SHADE, headerHeight);
        }
    }

    private float rowHeight(String[] cells, float[] widths, PDFont font, float fontSize) {
        int lines = 1;
        for (int i = 0; i < cells.length; i++) {
            lines = Math.max(lines, wrap(cells[i], font, fontSize, widths[i] - 8).size());
        }
        return lines * fontSize * 1.3f + 7;
    }

    private void drawRow(String[] cells, float[] widths, PDFont font, float fontSize, Color color, Color fill, float h) {
        try {
            float x = left();
            if (fill != null) {
                cs.setNonStrokingColor(fill);
                cs.addRect(x, y - h, width(), h);
                cs.fill();
            }
            cs.setStrokingColor(RULE);
            cs.setLineWidth(0.5f);
            for (int i = 0; i < cells.length; i++) {
                cs.addRect(x, y - h, widths[i], h);
                cs.stroke();
                List<String> lines = wrap(cells[i], font, fontSize, widths[i] - 8);
                for (int l = 0; l < lines.size(); l++) {
                    show(lines.get(l), font, fontSize, color, x + 4, y - 3.5f - fontSize - l * fontSize * 1.3f);
                }
                x += widths[i];
            }
            y -= h;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A horizontal rule across the page. */
    void rule() {
        ensure(6);
        try {
            cs.setStrokingColor(RULE);
            cs.setLineWidth(0.7f);
            cs.moveTo(left(), y - 3);
            cs.lineTo(left() + width(), y - 3);
            cs.stroke();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        y -= 6;
    }

    /** Draws QR modules as filled rectangles (crisp at any zoom and in print), top left at (x, top). */
    void qr(BitMatrix m, float x, float top, float moduleSize) {
        try {
            cs.setNonStrokingColor(Color.BLACK);
            for (int row = 0; row < m.getHeight(); row++) {
                int col = 0;
                while (col < m.getWidth()) {
                    if (!m.get(col, row)) {
                        col++;
                        continue;
                    }
                    int start = col;
                    while (col < m.getWidth() && m.get(col, row)) {
                        col++;
                    }
                    cs.addRect(x + start * moduleSize, top - (row + 1) * moduleSize, (col - start) * moduleSize, moduleSize);
                }
            }
            cs.fill();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves the cursor down to {@code newY} (after drawing beside the flow, e.g. a QR block). */
    void moveTo(float newY) {
        y = Math.min(y, newY);
    }

    void show(String text, PDFont font, float fontSize, Color color, float x, float baseline) {
        try {
            cs.beginText();
            cs.setNonStrokingColor(color);
            cs.setFont(font, fontSize);
            cs.newLineAtOffset(x, baseline);
            cs.showText(text);
            cs.endText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Footer on every page: {@code left} and "page i / n" in both languages. Call once, after the last page. */
    void footers(String left) {
        closeStream();
        int n = pages.size();
        for (int i = 0; i < n; i++) {
            try (PDPageContentStream s = new PDPageContentStream(doc, pages.get(i), PDPageContentStream.AppendMode.APPEND, true)) {
                cs = s;
                show(left, regular, 7.5f, GREY, left(), margin - 2);
                String page = "Бет / Страница / Page " + (i + 1) + " / " + n;
                show(page, regular, 7.5f, GREY, left() + width() - textWidth(page, regular, 7.5f), margin - 2);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        cs = null;
    }

    private void closeStream() {
        if (cs != null) {
            try {
                cs.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            cs = null;
        }
    }

    static float textWidth(String text, PDFont font, float fontSize) {
        try {
            return font.getStringWidth(text) / 1000 * fontSize;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Greedy word wrap; a word longer than the width is broken where it must be. */
    static List<String> wrap(String text, PDFont font, float fontSize, float width) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : (text == null ? "" : text).split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" +")) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (textWidth(candidate, font, fontSize) <= width) {
                    line.setLength(0);
                    line.append(candidate);
                    continue;
                }
                if (!line.isEmpty()) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                String rest = word;
                while (textWidth(rest, font, fontSize) > width && rest.length() > 1) {
                    int cut = rest.length() - 1;
                    while (cut > 1 && textWidth(rest.substring(0, cut), font, fontSize) > width) {
                        cut--;
                    }
                    lines.add(rest.substring(0, cut));
                    rest = rest.substring(cut);
                }
                line.append(rest);
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
