package kz.ehr.console.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small inline SVG charts drawn on the server: no script, no CDN, readable without colour (every value is also
 * written as text), and each chart has a title a screen reader announces.
 */
public final class Charts {
    private Charts() {
    }

    /** A line over {@code values} (oldest first) with its maximum written on the axis. */
    public static String line(String title, List<Double> values, String unit) {
        int w = 600, h = 140, pad = 30;
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double top = max <= 0 ? 1 : max;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(w).append(' ').append(h)
                .append("\" width=\"").append(w).append("\" height=\"").append(h).append("\" aria-labelledby=\"t-line\">")
                .append("<title id=\"t-line\">").append(escape(title)).append("</title>")
                .append("<line x1=\"").append(pad).append("\" y1=\"").append(h - pad).append("\" x2=\"").append(w).append("\" y2=\"")
                .append(h - pad).append("\" stroke=\"#888\"/>")
                .append("<text x=\"2\" y=\"12\" font-size=\"11\">").append(format(max)).append(' ').append(escape(unit)).append("</text>")
                .append("<text x=\"2\" y=\"").append(h - pad).append("\" font-size=\"11\">0</text>");
        if (values.size() == 1) {
            svg.append("<circle cx=\"").append(w - 5).append("\" cy=\"").append(y(values.get(0), top, h, pad)).append("\" r=\"3\" fill=\"#1f5fbf\"/>");
        } else if (values.size() > 1) {
            svg.append("<polyline fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"2\" points=\"");
            for (int i = 0; i < values.size(); i++) {
                double x = pad + (w - pad - 5) * (double) i / (values.size() - 1);
                svg.append(format(x)).append(',').append(y(values.get(i), top, h, pad)).append(' ');
            }
            svg.append("\"/>");
        }
        return svg.append("</svg>").toString();
    }

    /** Horizontal bars, one per entry, the value written after each bar. */
    public static String bars(String title, Map<String, ? extends Number> values) {
        int rowH = 24, labelW = 160, barW = 360, w = labelW + barW + 90;
        int h = Math.max(1, values.size()) * rowH + 10;
        double max = values.values().stream().mapToDouble(Number::doubleValue).max().orElse(0);
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(w).append(' ').append(h)
                .append("\" width=\"").append(w).append("\" height=\"").append(h).append("\"><title>").append(escape(title)).append("</title>");
        int row = 0;
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            double v = e.getValue() == null ? 0 : e.getValue().doubleValue();
            int y = 5 + row * rowH;
            double len = max <= 0 ? 0 : barW * v / max;
            svg.append("<text x=\"0\" y=\"").append(y + 15).append("\" font-size=\"12\">").append(escape(e.getKey())).append("</text>")
                    .append("<rect x=\"").append(labelW).append("\" y=\"").append(y + 3).append("\" width=\"").append(format(len))
                    .append("\" height=\"16\" fill=\"#1f5fbf\"/>")
                    .append("<text x=\"").append(format(labelW + len + 6)).append("\" y=\"").append(y + 15).append("\" font-size=\"12\">")
                    .append(format(v)).append("</text>");
            row++;
        }
        return svg.append("</svg>").toString();
    }

    private static String y(double v, double top, int h, int pad) {
        return format((h - pad) - (h - pad - 15) * v / top);
    }

    static String format(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
