package kz.ehr.certificates.rendering;

import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.Encoder;

import kz.ehr.certificates.verifier.QrChunks;

/**
 * QR codes of a certificate. On paper every code is at most version 22 (105 modules, the SMART Health Cards limit a
 * phone camera reads from a printout) with error correction M (a creased page); a longer text is split into
 * {@link QrChunks parts}, one code each. On screen ({@code qr.png}) the whole text stays one code.
 */
public final class QrCodes {
    /** Largest version printed on paper. */
    public static final int MAX_PAPER_VERSION = 22;
    static final ErrorCorrectionLevel PAPER_LEVEL = ErrorCorrectionLevel.M;
    /** Characters of QR alphanumeric text one paper code holds, found from zxing's own tables. */
    static final int MAX_PAPER_CHARS = capacity(MAX_PAPER_VERSION, PAPER_LEVEL);

    private QrCodes() {
    }

    /** The texts of the paper codes: the whole text if it fits one, else its parts. */
    public static List<String> paperTexts(String qrText) {
        return QrChunks.split(qrText, MAX_PAPER_CHARS);
    }

    /** A paper code's modules (quiet zone of 4 included); at most version 22 by construction of {@link #paperTexts}. */
    static BitMatrix paperMatrix(String text) {
        try {
            return encode(text, PAPER_LEVEL);
        } catch (WriterException e) {
            throw new IllegalStateException("a paper QR text does not fit its code", e);
        }
    }

    /** The version zxing picks for a text at error correction M (for tests and the README's numbers). */
    public static int paperVersion(String text) {
        try {
            return Encoder.encode(text, PAPER_LEVEL, Map.of()).getVersion().getVersionNumber();
        } catch (WriterException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Error correction M, or L when the whole token is too long for M (a screen shows one code of any version). */
    public static BufferedImage screenImage(String text, int moduleSize) {
        BitMatrix m;
        try {
            m = encode(text, ErrorCorrectionLevel.M);
        } catch (WriterException tooLongForM) {
            try {
                m = encode(text, ErrorCorrectionLevel.L);
            } catch (WriterException e) {
                throw new IllegalStateException("certificate token does not fit one QR code", e);
            }
        }
        return image(m, moduleSize);
    }

    static BufferedImage image(BitMatrix m, int moduleSize) {
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

    private static int capacity(int maxVersion, ErrorCorrectionLevel level) {
        int lo = 1;
        int hi = 4296;
        while (lo < hi) { // largest alphanumeric length whose code is at most maxVersion
            int mid = (lo + hi + 1) / 2;
            if (fits("A".repeat(mid), maxVersion, level)) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private static boolean fits(String text, int maxVersion, ErrorCorrectionLevel level) {
        try {
            return Encoder.encode(text, level, Map.of()).getVersion().getVersionNumber() <= maxVersion;
        } catch (WriterException tooLong) {
            return false;
        }
    }
}
