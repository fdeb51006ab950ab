package kz.ehr.certificates.verifypage;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.ReaderException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import com.google.zxing.qrcode.QRCodeReader;

/**
 * The certificate QR texts in an uploaded photo, screenshot or PDF, found server-side with zxing (the decoder the
 * tests already trust) and PDFBox. Uploads come from anyone, so sizes are bounded before anything is decoded: an
 * image's declared pixels, a PDF's pages and the pixels each is rendered to.
 */
public final class QrImages {
    /** Refused beyond this many declared pixels (a small PNG can declare a gigapixel). */
    static final long MAX_DECLARED_PIXELS = 40_000_000L;
    /** Decoded at most at this size (long side), enough for a page photo with several codes. */
    static final int MAX_SIDE = 2400;
    /** Pages of a PDF looked at: the codes are on the first page (inside the cover of the 052-2/у booklet). */
    static final int MAX_PDF_PAGES = 3;

    private QrImages() {
    }

    /** Why an upload could not be read: a stable code and a sentence. */
    public static final class Unreadable extends Exception {
        public final String code;

        Unreadable(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** The distinct certificate QR texts (whole {@code KZC1:} texts, parts, or a bare JWS), in the order found. */
    public static List<String> find(byte[] upload) throws Unreadable {
        List<BufferedImage> images = isPdf(upload) ? pdfPages(upload) : List.of(image(upload));
        Set<String> texts = new LinkedHashSet<>();
        for (BufferedImage img : images) {
            for (String t : decode(img)) {
                if (t.startsWith("KZC1") || t.chars().filter(ch -> ch == '.').count() == 2) {
                    texts.add(t);
                }
            }
        }
        if (texts.isEmpty()) {
            throw new Unreadable("QR_NOT_FOUND", "no certificate QR code was found in the upload");
        }
        return List.copyOf(texts);
    }

    static boolean isPdf(byte[] b) {
        return b.length > 4 && b[0] == '%' && b[1] == 'P' && b[2] == 'D' && b[3] == 'F';
    }

    private static BufferedImage image(byte[] upload) throws Unreadable {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(upload))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new Unreadable("UNSUPPORTED_UPLOAD", "the upload is not a PNG, JPEG, GIF, BMP image nor a PDF");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_DECLARED_PIXELS) {
                    throw new Unreadable("IMAGE_TOO_LARGE", "the image has " + pixels + " pixels; at most " + MAX_DECLARED_PIXELS);
                }
                return fit(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("UNSUPPORTED_UPLOAD", "the image could not be read");
        }
    }

    private static List<BufferedImage> pdfPages(byte[] upload) throws Unreadable {
        try (PDDocument doc = Loader.loadPDF(upload, "", null, null, IOUtils.createMemoryOnlyStreamCache())) {
            PDFRenderer renderer = new PDFRenderer(doc);
            List<BufferedImage> pages = new ArrayList<>();
            for (int i = 0; i < Math.min(doc.getNumberOfPages(), MAX_PDF_PAGES); i++) {
                PDRectangle box = doc.getPage(i).getCropBox();
                float longSide = Math.max(box.getWidth(), box.getHeight()) / 72f; // inches
                // a quarter above the size looked at, then scaled down: PDFBox's anti-aliased render of a dense code
                // straight at ~200 dpi blurs its modules past zxing (a 733-character certificate token was not
                // found at 100-200 dpi, and was at 250 and 300 scaled to MAX_SIDE); at most 1.25 x MAX_SIDE a side
                float dpi = Math.min(300, 1.25f * MAX_SIDE / Math.max(longSide, 1));
                pages.add(fit(renderer.renderImageWithDPI(i, dpi, ImageType.GRAY)));
            }
            return pages;
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("UNSUPPORTED_UPLOAD", "the PDF could not be read");
        }
    }

    private static BufferedImage fit(BufferedImage img) {
        int longSide = Math.max(img.getWidth(), img.getHeight());
        if (longSide <= MAX_SIDE) {
            return img;
        }
        double s = (double) MAX_SIDE / longSide;
        BufferedImage out = new BufferedImage((int) (img.getWidth() * s), (int) (img.getHeight() * s), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return out;
    }

    private static List<String> decode(BufferedImage img) {
        int[] pixels = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        LuminanceSource source = new RGBLuminanceSource(img.getWidth(), img.getHeight(), pixels);
        List<String> texts = new ArrayList<>();
        try {
            for (Result r : new QRCodeMultiReader().decodeMultiple(new BinaryBitmap(new HybridBinarizer(source)),
                    Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE))) {
                texts.add(r.getText());
            }
        } catch (NotFoundException none) {
            // a clean code filling the image (a screenshot of qr.png) is read best as one
            try {
                texts.add(new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
                        Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText());
            } catch (ReaderException | RuntimeException alsoNone) {
                // nothing here
            }
        }
        return texts;
    }
}
