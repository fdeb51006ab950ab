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
        return line(title, values, unit, null, null);
    }

    /** The same, with the time axis' ends named ({@code from} under the first point, {@code to} under the last). */
    public static String line(String title, List<Double> values, String unit, String from, String to) {
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
        if (from != null) {
            svg.append("<text x=\"").append(pad).append("\" y=\"").append(h - 10).append("\" font-size=\"11\">").append(escape(from)).append("</text>");
        }
        if (to != null) {
            svg.append("<text x=\"").append(w - 5).append("\" y=\"").append(h - 10).append("\" font-size=\"11\" text-anchor=\"end\">")
                    .append(escape(to)).append("</text>");
        }
        return svg.append("</svg>").toString();
    }

    /** Fill colours of stacked series, told apart by the legend's text too (the counts are also in a table). */
    static final List<String> PALETTE = List.of("#1f5fbf", "#c62828", "#2e7d32", "#f0a500", "#6a1b9a", "#00838f", "#5d4037",
            "#ad1457", "#455a64", "#9e9d24");

    /**
     * Stacked columns, one per bucket (oldest first, {@code labels} under every {@code labelEvery}-th), one colour per
     * series with a legend naming it and its total; the column's total is in each column's tooltip title.
     */
    public static String stackedColumns(String title, List<String> labels, Map<String, long[]> series, int labelEvery) {
        int n = labels.size(), pad = 30, colW = 22, chartH = 160, legendH = 18 * Math.max(1, series.size());
        int w = pad + n * colW + 10, h = chartH + 30 + legendH;
        long max = 0;
        for (int i = 0; i < n; i++) {
            long sum = 0;
            for (long[] counts : series.values()) {
                sum += i < counts.length ? counts[i] : 0;
            }
            max = Math.max(max, sum);
        }
        double top = max <= 0 ? 1 : max;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(w).append(' ').append(h)
                .append("\" width=\"").append(w).append("\" height=\"").append(h).append("\"><title>").append(escape(title)).append("</title>")
                .append("<text x=\"2\" y=\"12\" font-size=\"11\">").append(max).append("</text>")
                .append("<text x=\"2\" y=\"").append(chartH).append("\" font-size=\"11\">0</text>")
                .append("<line x1=\"").append(pad).append("\" y1=\"").append(chartH).append("\" x2=\"").append(w).append("\" y2=\"")
                .append(chartH).append("\" stroke=\"#888\"/>");
        for (int i = 0; i < n; i++) {
            double y = chartH;
            long sum = 0;
            int x = pad + i * colW + 2;
            int k = 0;
            svg.append("<g><title>").append(escape(labels.get(i))).append(": ");
            StringBuilder parts = new StringBuilder();
            for (Map.Entry<String, long[]> e : series.entrySet()) {
                long v = i < e.getValue().length ? e.getValue()[i] : 0;
                sum += v;
                if (v > 0) {
                    parts.append(parts.length() == 0 ? "" : ", ").append(escape(e.getKey())).append(' ').append(v);
                }
            }
            svg.append(sum).append(parts.length() == 0 ? "" : " (" + parts + ")").append("</title>");
            for (Map.Entry<String, long[]> e : series.entrySet()) {
                long v = i < e.getValue().length ? e.getValue()[i] : 0;
                double hh = (chartH - 15) * v / top;
                if (v > 0) {
                    y -= hh;
                    svg.append("<rect x=\"").append(x).append("\" y=\"").append(format(y)).append("\" width=\"").append(colW - 4)
                            .append("\" height=\"").append(format(hh)).append("\" fill=\"").append(PALETTE.get(k % PALETTE.size())).append("\"/>");
                }
                k++;
            }
            svg.append("</g>");
            if (i % Math.max(1, labelEvery) == 0 || i == n - 1) {
                svg.append("<text x=\"").append(x).append("\" y=\"").append(chartH + 14).append("\" font-size=\"10\">")
                        .append(escape(labels.get(i))).append("</text>");
            }
        }
        int k = 0;
        for (Map.Entry<String, long[]> e : series.entrySet()) {
            int y = chartH + 30 + k * 18;
            long total = java.util.Arrays.stream(e.getValue()).sum();
            svg.append("<rect x=\"").append(pad).append("\" y=\"").append(y).append("\" width=\"12\" height=\"12\" fill=\"")
                    .append(PALETTE.get(k % PALETTE.size())).append("\"/>")
                    .append("<text x=\"").append(pad + 18).append("\" y=\"").append(y + 11).append("\" font-size=\"12\">")
                    .append(escape(e.getKey())).append(": ").append(total).append("</text>");
            k++;
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
        if (v == Math.rint(v)) {
            return String.valueOf((long) v);
        }
        // a slow rate (110 records in an hour is 0.03 records/s) keeps two significant digits instead of reading 0.0
        return Math.abs(v) < 0.1 ? new java.math.BigDecimal(v).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString()
                : String.format(Locale.ROOT, "%.1f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
