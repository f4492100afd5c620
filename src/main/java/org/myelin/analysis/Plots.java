package org.myelin.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * PNG figures drawn with plain Java 2D (headless): receptive-field heat maps, the before/after
 * summary, the Moran's I distributions and a generic line plot. Every file is written through
 * {@link org.myelin.io.AtomicFiles}. Image sizes are fixed (see the constants) so callers and tests
 * know them.
 *
 * <p>Heat maps: a diverging map centred at zero, white at 0, red for positive (excitation), blue
 * for negative (inhibition), scaled symmetrically to ±max|value| of the field — of both fields in
 * a before/after pair, so equal colours mean equal values. The colour bar names the quantity
 * ({@link #FIELD_QUANTITY}); channel 0 is the bottom row (as in a spectrogram), total path delay 0
 * the left column. Accuracy plots start their y axis at 0 and draw the chance level.
 */
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {}

    /** Size of {@link #heatMap} images. */
    public static final int HEATMAP_WIDTH = 820, HEATMAP_HEIGHT = 600;
    /** Size of {@link #beforeAfter} images. */
    public static final int PAIR_WIDTH = 1540, PAIR_HEIGHT = 600;
    /** Size of {@link #distribution} images. */
    public static final int DIST_WIDTH = 720, DIST_HEIGHT = 600;
    /** Size of {@link #linePlot} images. */
    public static final int LINE_WIDTH = 960, LINE_HEIGHT = 600;
    /** Size of {@link #trainingCurves} images (2 × 2 panels). */
    public static final int CURVES_WIDTH = 1200, CURVES_HEIGHT = 900;

    /** What a receptive-field cell holds (the colour bar's label); see {@link ReceptiveField}. */
    public static final String FIELD_QUANTITY = "sum over hidden neurons of sign(w_in) * w_out";

    private static final Color RED = new Color(178, 24, 43);
    private static final Color BLUE = new Color(33, 102, 172);

    /**
     * Colour of a value on the diverging map scaled to ±{@code vmax}: white at 0, {@link #RED} at
     * +vmax, {@link #BLUE} at −vmax (clamped beyond).
     */
    static Color diverging(double v, double vmax) {
        double t = vmax > 0 ? Math.max(-1, Math.min(1, v / vmax)) : 0;
        Color end = t >= 0 ? RED : BLUE;
        double a = Math.abs(t);
        int r = (int) Math.round(255 + (end.getRed() - 255) * a);
        int gr = (int) Math.round(255 + (end.getGreen() - 255) * a);
        int b = (int) Math.round(255 + (end.getBlue() - 255) * a);
        return new Color(r, gr, b);
    }

    /**
     * Heat map of a receptive field (input channel × total path delay), with labelled axes, a colour
     * bar naming {@link #FIELD_QUANTITY} and a title.
     *
     * @param field rows × cols values, row-major (row = input channel, column = total path delay
     *              d_in + d_out in steps, 0..2·Td for cols = 2·Td + 1)
     */
    public static void heatMap(Path png, float[] field, int rows, int cols, String title) throws IOException {
        heatMap(png, field, rows, cols, 1, title);
    }

    /**
     * {@link #heatMap(Path, float[], int, int, String)} of the field of a network of {@code depth}
     * hidden layers: its axis and colour bar name the composed path delay and weight product
     * ({@link #fieldQuantity}, {@link #delayAxis}).
     */
    public static void heatMap(Path png, float[] field, int rows, int cols, int depth, String title) throws IOException {
        heatMap(png, field, rows, cols, Labels.of(depth, cols), title);
    }

    /**
     * Heat map of a network's field of one class at the input of hidden layer {@code layer} (2 … L
     * of {@code depth}): rows are the neurons of hidden layer layer − 1, columns the path delay from
     * there to the output ({@link ReceptiveField#composed} of the layers from {@code layer} on).
     */
    public static void layerHeatMap(Path png, float[] field, int rows, int cols, int depth, int layer, String title) throws IOException {
        if (layer < 2 || layer > depth) throw new IllegalArgumentException("layer must be 2 to " + depth + ", got " + layer);
        int last = depth + 1;
        Labels l = new Labels("neuron of hidden layer " + (layer - 1),
                "path delay d_" + layer + " + ... + d_" + last + " (steps, 0 to " + (last - layer + 1) + "·Td = " + (cols - 1) + ")",
                "sum over paths of sign(w_" + layer + ") * ... * w_" + last);
        heatMap(png, field, rows, cols, l, title);
    }

    private static void heatMap(Path png, float[] field, int rows, int cols, Labels labels, String title) throws IOException {
        check(field, rows, cols);
        Canvas c = new Canvas(HEATMAP_WIDTH, HEATMAP_HEIGHT);
        drawField(c, 0, HEATMAP_WIDTH, field, rows, cols, labels, title, maxAbs(field));
        c.save(png);
    }

    /** The axis and colour-bar labels of a field panel. */
    private record Labels(String rows, String delays, String quantity) {
        /** A field to the input channels of a network of {@code depth} hidden layers. */
        static Labels of(int depth, int cols) {
            return new Labels("input channel (0 at the bottom)", delayAxis(depth, cols), fieldQuantity(depth));
        }
    }

    /**
     * What a cell of the field of a network of {@code depth} hidden layers holds: {@link #FIELD_QUANTITY}
     * for one, the sum over paths of the input synapse's sign times the later weights for more.
     */
    static String fieldQuantity(int depth) {
        return depth == 1 ? FIELD_QUANTITY : "sum over paths of sign(w_1) * w_2 * ... * w_" + (depth + 1);
    }

    /** The delay axis's label of a field of {@code cols} delays of a network of {@code depth} hidden layers. */
    static String delayAxis(int depth, int cols) {
        if (depth == 1) {
            return cols % 2 == 1 ? "total path delay d_in + d_out (steps, 0 to 2·Td = " + (cols - 1) + ")"
                    : "total path delay d_in + d_out (steps)";
        }
        return "total path delay d_1 + ... + d_" + (depth + 1) + " (steps, 0 to " + (depth + 1) + "·Td = " + (cols - 1) + ")";
    }

    /**
     * Two receptive-field heat maps side by side (e.g. one class's field before and after training)
     * on one colour scale, ±max|value| of both, under a common title.
     */
    public static void beforeAfter(Path png, float[] left, String leftTitle, float[] right, String rightTitle,
                                   int rows, int cols, String title) throws IOException {
        beforeAfter(png, left, leftTitle, right, rightTitle, rows, cols, 1, title);
    }

    /** {@link #beforeAfter(Path, float[], String, float[], String, int, int, String)} for fields of a network of {@code depth} hidden layers. */
    public static void beforeAfter(Path png, float[] left, String leftTitle, float[] right, String rightTitle,
                                   int rows, int cols, int depth, String title) throws IOException {
        check(left, rows, cols);
        check(right, rows, cols);
        Canvas c = new Canvas(PAIR_WIDTH, PAIR_HEIGHT);
        int half = PAIR_WIDTH / 2;
        c.text(title, PAIR_WIDTH / 2.0, 18, Canvas.Align.CENTER, 18, true, Canvas.AXIS);
        double vmax = Math.max(maxAbs(left), maxAbs(right));
        drawField(c, 0, half, left, rows, cols, Labels.of(depth, cols), leftTitle, vmax);
        drawField(c, half, half, right, rows, cols, Labels.of(depth, cols), rightTitle, vmax);
        c.save(png);
    }

    private static double maxAbs(float[] field) {
        double vmax = 0;
        for (float v : field) if (Float.isFinite(v)) vmax = Math.max(vmax, Math.abs(v));
        return vmax;
    }

    /** Where {@link #heatMap} puts the cells of the field (package-private, for tests). */
    static Rectangle heatMapArea(int rows, int cols) {
        return fieldArea(0, HEATMAP_WIDTH, rows, cols);
    }

    /** The cell area of a field panel occupying [x0, x0 + width) horizontally. */
    static Rectangle fieldArea(int x0, int width, int rows, int cols) {
        int left = 80, right = 150, top = 70, bottom = 70;
        int availW = width - left - right, availH = HEATMAP_HEIGHT - top - bottom;
        // cells as square as possible, but never stretched beyond the panel
        double cell = Math.min((double) availW / cols, (double) availH / rows);
        double cw = Math.max(cell, Math.min((double) availW / cols, cell * 2.5));
        int w = (int) Math.floor(cw * cols), h = (int) Math.floor(cell * rows);
        return new Rectangle(x0 + left + (availW - w) / 2, top + (availH - h) / 2, w, h);
    }

    /** The cell of channel {@code row} spans [y0, y1) in pixels: channel 0 at the bottom. */
    static int rowTop(Rectangle a, int rows, int row) {
        return a.y + (int) Math.floor((double) (rows - 1 - row) * a.height / rows);
    }

    private static void drawField(Canvas c, int x0, int width, float[] field, int rows, int cols, Labels labels, String title, double vmax) {
        Rectangle a = fieldArea(x0, width, rows, cols);
        c.antialias(false);
        for (int r = 0; r < rows; r++) {
            int y0 = rowTop(a, rows, r);
            int y1 = r == 0 ? a.y + a.height : rowTop(a, rows, r - 1);
            for (int col = 0; col < cols; col++) {
                int xa = a.x + (int) Math.floor((double) col * a.width / cols);
                int xb = a.x + (int) Math.floor((double) (col + 1) * a.width / cols);
                float v = field[r * cols + col];
                c.g.setColor(Float.isFinite(v) ? diverging(v, vmax) : Color.LIGHT_GRAY);
                c.g.fillRect(xa, y0, xb - xa, y1 - y0);
            }
        }
        c.frame(new Rectangle(a.x - 1, a.y - 1, a.width + 1, a.height + 1));
        // axes: delay ticks along the bottom, channel ticks on the left (cell centres, 0 at the bottom)
        int fs = 13;
        double[] xt = Canvas.ticks(0, cols - 1, 6);
        for (double t : xt) {
            double x = a.x + (t + 0.5) * a.width / cols;
            c.g.setColor(Canvas.AXIS);
            c.g.draw(new Line2D.Double(x, a.y + a.height, x, a.y + a.height + 5));
            c.text(Canvas.tickLabel(t, 1), x, a.y + a.height + 16, Canvas.Align.CENTER, fs, false, Canvas.AXIS);
        }
        double[] yt = Canvas.ticks(0, rows - 1, 6);
        for (double t : yt) {
            double y = a.y + a.height - (t + 0.5) * a.height / rows;
            c.g.setColor(Canvas.AXIS);
            c.g.draw(new Line2D.Double(a.x - 5, y, a.x - 1, y));
            c.text(Canvas.tickLabel(t, 1), a.x - 8, y, Canvas.Align.RIGHT, fs, false, Canvas.AXIS);
        }
        c.text(labels.delays(), a.x + a.width / 2.0, a.y + a.height + 40, Canvas.Align.CENTER, 15, false, Canvas.AXIS);
        c.textVertical(labels.rows(), a.x - 50, a.y + a.height / 2.0, 15, Canvas.AXIS);
        c.text(title, a.x + a.width / 2.0, a.y - 22, Canvas.Align.CENTER, 16, true, Canvas.AXIS);
        // colour bar, right of the panel, from −vmax (bottom) to +vmax (top)
        int bx = x0 + width - 120, bw = 22, by = a.y, bh = a.height;
        for (int k = 0; k < bh; k++) {
            double v = vmax * (1 - 2.0 * (k + 0.5) / bh);
            c.g.setColor(diverging(v, vmax));
            c.g.fillRect(bx, by + k, bw, 1);
        }
        c.frame(new Rectangle(bx - 1, by - 1, bw + 1, bh + 1));
        double shown = vmax > 0 ? vmax : 1;
        double[] bt = Canvas.ticks(-shown, shown, 4);
        double step = bt.length > 1 ? bt[1] - bt[0] : shown;
        for (double t : bt) {
            double y = by + (1 - (t + shown) / (2 * shown)) * bh;
            c.g.setColor(Canvas.AXIS);
            c.g.draw(new Line2D.Double(bx + bw, y, bx + bw + 4, y));
            c.text(Canvas.tickLabel(t, step), bx + bw + 7, y, Canvas.Align.LEFT, 12, false, Canvas.AXIS);
        }
        c.textVertical(labels.quantity(), bx + bw + 62, by + bh / 2.0, 12, Canvas.AXIS);
        c.text("excitation", bx + bw / 2.0, by - 12, Canvas.Align.CENTER, 11, false, RED);
        c.text("inhibition", bx + bw / 2.0, by + bh + 12, Canvas.Align.CENTER, 11, false, BLUE);
    }

    /** The plot area of {@link #distribution} and {@link #linePlot} images (package-private, for tests). */
    static Rectangle chartArea(int width, int height, int rightMargin) {
        int left = 95, top = 60, bottom = 75;
        return new Rectangle(left, top, width - left - rightMargin, height - top - bottom);
    }

    /**
     * Distribution of two samples (e.g. Moran's I of trained and untrained fields): every value as
     * a jittered point over a box (quartiles, median line, whiskers to min and max). NaN values are
     * left out. A horizontal dashed reference line is drawn at {@code reference} unless it is NaN.
     */
    public static void distribution(Path png, String title, String yLabel,
                                    String nameA, double[] a, String nameB, double[] b,
                                    double reference, String referenceLabel) throws IOException {
        double[][] groups = {finite(a), finite(b)};
        String[] names = {nameA, nameB};
        Color[] colors = {RED, BLUE};
        Canvas c = new Canvas(DIST_WIDTH, DIST_HEIGHT);
        Rectangle area = chartArea(DIST_WIDTH, DIST_HEIGHT, 30);
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] gr : groups) for (double v : gr) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        if (Double.isFinite(reference)) { lo = Math.min(lo, reference); hi = Math.max(hi, reference); }
        double[] yr = Canvas.range(lo, hi, 0.08);
        YAxis y = new YAxis(area, yr[0], yr[1]);
        y.draw(c, yLabel);
        c.frame(area);
        c.text(title, DIST_WIDTH / 2.0, 25, Canvas.Align.CENTER, 15, true, Canvas.AXIS);
        if (Double.isFinite(reference)) {
            double ry = y.pixel(reference);
            c.g.setColor(Color.GRAY);
            c.g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            c.g.draw(new Line2D.Double(area.x + 1, ry, area.x + area.width - 1, ry));
            c.g.setStroke(new BasicStroke(1f));
            c.text(referenceLabel, area.x + area.width - 6, ry - 10, Canvas.Align.RIGHT, 11, false, Color.GRAY);
        }
        c.antialias(true);
        SplittableRandom jitter = new SplittableRandom(12345);
        for (int gi = 0; gi < 2; gi++) {
            double cx = area.x + area.width * (gi == 0 ? 0.3 : 0.7);
            double bw = area.width * 0.22;
            double[] s = groups[gi].clone();
            Arrays.sort(s);
            Color col = colors[gi];
            if (s.length > 0) {
                double q1 = quantile(s, 0.25), med = quantile(s, 0.5), q3 = quantile(s, 0.75);
                c.g.setColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 40));
                double top = y.pixel(q3), bot = y.pixel(q1);
                c.g.fill(new java.awt.geom.Rectangle2D.Double(cx - bw / 2, top, bw, Math.max(1, bot - top)));
                c.g.setColor(col);
                c.g.setStroke(new BasicStroke(1.5f));
                c.g.draw(new java.awt.geom.Rectangle2D.Double(cx - bw / 2, top, bw, Math.max(1, bot - top)));
                c.g.setStroke(new BasicStroke(3f));
                c.g.draw(new Line2D.Double(cx - bw / 2, y.pixel(med), cx + bw / 2, y.pixel(med)));
                c.g.setStroke(new BasicStroke(1.5f));
                c.g.draw(new Line2D.Double(cx, top, cx, y.pixel(s[s.length - 1])));
                c.g.draw(new Line2D.Double(cx, bot, cx, y.pixel(s[0])));
                c.g.draw(new Line2D.Double(cx - bw / 6, y.pixel(s[s.length - 1]), cx + bw / 6, y.pixel(s[s.length - 1])));
                c.g.draw(new Line2D.Double(cx - bw / 6, y.pixel(s[0]), cx + bw / 6, y.pixel(s[0])));
            }
            c.g.setStroke(new BasicStroke(1f));
            for (double v : groups[gi]) {
                double px = cx + (jitter.nextDouble() - 0.5) * bw * 0.8;
                c.g.setColor(new Color(col.getRed(), col.getGreen(), col.getBlue(), 170));
                c.g.fill(new Ellipse2D.Double(px - 3.5, y.pixel(v) - 3.5, 7, 7));
            }
            String label = names[gi] + " (n=" + groups[gi].length + ")";
            c.text(label, cx, area.y + area.height + 22, Canvas.Align.CENTER, 14, true, col);
            if (s.length > 0) {
                c.text("median " + Canvas.fmt(quantile(s, 0.5)), cx, area.y + area.height + 42,
                        Canvas.Align.CENTER, 12, false, Canvas.AXIS);
            }
        }
        c.save(png);
    }

    /** One named line of a {@link #linePlot}: y values (NaN = gap) and optional error bars (± err). */
    public static final class Series {
        final String name;
        final double[] y;
        final double[] err;

        /**
         * @param name legend label
         * @param y    one value per x
         * @param err  half-length of the error bar per x, or null for none
         */
        public Series(String name, double[] y, double[] err) {
            this.name = Objects.requireNonNull(name, "name");
            this.y = Objects.requireNonNull(y, "y").clone();
            this.err = err == null ? null : err.clone();
            if (err != null && err.length != y.length) throw new IllegalArgumentException("err and y differ in length");
        }
    }

    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127)
    };

    /**
     * Line plot of several series over shared x values, with markers, optional error bars, a
     * legend right of the plot, axis labels and a title.
     *
     * @param xTickLabels labels at the x values (e.g. "87.5 %"), or null for numeric ticks
     */
    public static void linePlot(Path png, String title, String xLabel, String yLabel,
                                double[] x, String[] xTickLabels, List<Series> series) throws IOException {
        linePlot(png, title, xLabel, yLabel, x, xTickLabels, series, Double.NaN, null, false);
    }

    /**
     * {@link #linePlot(Path, String, String, String, double[], String[], List)} with a dashed
     * horizontal reference line at {@code reference} (NaN: none), labelled, and a y axis that
     * includes 0 when {@code fromZero}.
     */
    public static void linePlot(Path png, String title, String xLabel, String yLabel, double[] x, String[] xTickLabels,
                                List<Series> series, double reference, String referenceLabel, boolean fromZero) throws IOException {
        Canvas c = new Canvas(LINE_WIDTH, LINE_HEIGHT);
        Rectangle area = chartArea(LINE_WIDTH, LINE_HEIGHT, 230);
        c.text(title, LINE_WIDTH / 2.0, 25, Canvas.Align.CENTER, 16, true, Canvas.AXIS);
        chart(c, area, xLabel, yLabel, x, xTickLabels, series, reference, referenceLabel, fromZero, false);
        c.save(png);
    }

    /** Miss-rate ticks of a {@link #det} plot, in percent. */
    private static final double[] DET_MISS_TICKS = {0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 98, 99, 99.5, 99.9};

    /**
     * A detection-error trade-off curve on the field's axes: false alarms per hour on a log10 x
     * axis, the miss rate on a probit (normal deviate) y axis, so a curve of two Gaussian score
     * distributions is a straight line. Points with no false alarms are drawn at the left edge
     * (marked "0"); miss rates are clipped to [0.1 %, 99.9 %] (0 and 1 have no normal deviate).
     * Dashed references at {@code faTarget} false alarms per hour and {@code missTarget} miss.
     *
     * @param perHour  false alarms per hour of each point (≥ 0)
     * @param missRate the miss rate of each point, in [0, 1]
     * @param label    the curve's legend label
     */
    public static void det(Path png, String title, double[] perHour, double[] missRate, String label, double faTarget, double missTarget)
            throws IOException {
        if (perHour.length != missRate.length || perHour.length == 0) throw new IllegalArgumentException("DET: " + perHour.length + " x for " + missRate.length + " y");
        double minPos = Double.POSITIVE_INFINITY, max = 0;
        for (double v : perHour) {
            if (v > 0) minPos = Math.min(minPos, v);
            max = Math.max(max, v);
        }
        if (faTarget > 0) {
            minPos = Math.min(minPos, faTarget);
            max = Math.max(max, faTarget);
        }
        if (!Double.isFinite(minPos)) minPos = 1;
        double lx0 = Math.floor(Math.log10(minPos)) - 1, lx1 = Math.max(Math.ceil(Math.log10(Math.max(max, minPos))), lx0 + 2);
        double lo = 0.001, hi = 0.999;
        double ymin = hi, ymax = lo;
        for (double m : missRate) {
            double c = Math.min(hi, Math.max(lo, m));
            ymin = Math.min(ymin, c);
            ymax = Math.max(ymax, c);
        }
        if (missTarget > 0) {
            ymin = Math.min(ymin, missTarget);
            ymax = Math.max(ymax, missTarget);
        }
        double tlo = DET_MISS_TICKS[0], thi = DET_MISS_TICKS[DET_MISS_TICKS.length - 1];
        for (double t : DET_MISS_TICKS) if (t / 100 <= ymin) tlo = t;
        for (int k = DET_MISS_TICKS.length - 1; k >= 0; k--) if (DET_MISS_TICKS[k] / 100 >= ymax) thi = DET_MISS_TICKS[k];
        double py0 = probit(tlo / 100), py1 = probit(thi / 100);
        Canvas c = new Canvas(LINE_WIDTH, LINE_HEIGHT);
        Rectangle area = chartArea(LINE_WIDTH, LINE_HEIGHT, 230);
        c.text(title, LINE_WIDTH / 2.0, 25, Canvas.Align.CENTER, 16, true, Canvas.AXIS);
        java.util.function.DoubleUnaryOperator px = v -> area.x + ((v > 0 ? Math.max(lx0, Math.log10(v)) : lx0) - lx0) / (lx1 - lx0) * area.width;
        java.util.function.DoubleUnaryOperator py = m -> area.y + area.height
                - (probit(Math.min(hi, Math.max(lo, m))) - py0) / (py1 - py0) * area.height;
        for (double t : DET_MISS_TICKS) {
            if (t < tlo || t > thi) continue;
            double yy = py.applyAsDouble(t / 100);
            c.g.setColor(Canvas.GRID);
            c.g.draw(new Line2D.Double(area.x + 1, yy, area.x + area.width - 1, yy));
            c.g.setColor(Canvas.AXIS);
            c.g.draw(new Line2D.Double(area.x - 5, yy, area.x, yy));
            String tl = String.format(java.util.Locale.ROOT, t == Math.rint(t) ? "%.0f" : "%.1f", t); // 0.5, 99.9: one decimal
            c.text(tl, area.x - 8, yy, Canvas.Align.RIGHT, 12, false, Canvas.AXIS);
        }
        c.textVertical("miss rate (%, probit scale)", area.x - 70, area.y + area.height / 2.0, 15, Canvas.AXIS);
        for (int d = (int) lx0; d <= (int) lx1; d++) {
            double xx = area.x + (d - lx0) / (lx1 - lx0) * area.width;
            c.g.setColor(Canvas.GRID);
            c.g.draw(new Line2D.Double(xx, area.y + 1, xx, area.y + area.height - 1));
            c.g.setColor(Canvas.AXIS);
            c.g.draw(new Line2D.Double(xx, area.y + area.height, xx, area.y + area.height + 5));
            String tl = d == (int) lx0 ? "0" : Canvas.tickLabel(Math.pow(10, d), Math.pow(10, Math.min(d, 0)));
            c.text(tl, xx, area.y + area.height + 17, Canvas.Align.CENTER, 12, false, Canvas.AXIS);
        }
        c.frame(area);
        c.text("false alarms per hour (log scale; 0 at the left edge)", area.x + area.width / 2.0, area.y + area.height + 45, Canvas.Align.CENTER, 15,
                false, Canvas.AXIS);
        c.g.setColor(Color.GRAY);
        c.g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f));
        if (missTarget > 0) c.g.draw(new Line2D.Double(area.x + 1, py.applyAsDouble(missTarget), area.x + area.width - 1, py.applyAsDouble(missTarget)));
        if (faTarget > 0) c.g.draw(new Line2D.Double(px.applyAsDouble(faTarget), area.y + 1, px.applyAsDouble(faTarget), area.y + area.height - 1));
        c.g.setStroke(new BasicStroke(1f));
        if (missTarget > 0) c.text(Canvas.tickLabel(100 * missTarget, 1) + " % miss", area.x + area.width - 8, py.applyAsDouble(missTarget) - 10,
                Canvas.Align.RIGHT, 12, false, Color.DARK_GRAY);
        if (faTarget > 0) c.text(Canvas.tickLabel(faTarget, faTarget < 1 ? 0.1 : 1) + " / h", px.applyAsDouble(faTarget) + 6, area.y + 14,
                Canvas.Align.LEFT, 12, false, Color.DARK_GRAY);
        c.antialias(true);
        Color col = PALETTE[0];
        c.g.setColor(col);
        c.g.setStroke(new BasicStroke(2f));
        for (int k = 1; k < perHour.length; k++) {
            c.g.draw(new Line2D.Double(px.applyAsDouble(perHour[k - 1]), py.applyAsDouble(missRate[k - 1]), px.applyAsDouble(perHour[k]),
                    py.applyAsDouble(missRate[k])));
        }
        int lx = area.x + area.width + 18, ly = area.y + 14;
        c.g.draw(new Line2D.Double(lx, ly, lx + 26, ly));
        c.text(label, lx + 34, ly, Canvas.Align.LEFT, 13, false, Canvas.AXIS);
        c.antialias(false);
        c.g.setStroke(new BasicStroke(1f));
        c.save(png);
    }

    /**
     * The standard normal quantile Φ⁻¹(p) for p in (0, 1): a rational approximation on the
     * central region (0.02425 ≤ p ≤ 0.97575) and one on each tail, relative error below 1.2e-9
     * (plenty for an axis).
     */
    static double probit(double p) {
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("probit of " + p + " (need 0 < p < 1)");
        final double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        final double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01};
        final double[] cc = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        final double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double x;
        if (p < 0.02425) {
            double q = Math.sqrt(-2 * Math.log(p));
            x = (((((cc[0] * q + cc[1]) * q + cc[2]) * q + cc[3]) * q + cc[4]) * q + cc[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        } else if (p <= 1 - 0.02425) {
            double q = p - 0.5, r = q * q;
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
        } else {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            x = -(((((cc[0] * q + cc[1]) * q + cc[2]) * q + cc[3]) * q + cc[4]) * q + cc[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        return x;
    }

    /**
     * Accuracy over a sparsity ladder for several models (the ablation, the paper's Figure 3):
     * typed input of {@link #accuracyBySparsity}.
     */
    public static final class AccuracyBySparsity {
        final double[] sparsity;
        final List<String> models;
        final double[][] mean, std;
        final int repeats, classes;

        /**
         * @param sparsity ascending sparsities in (0, 1)
         * @param models   one legend label per model
         * @param mean     mean test accuracy (fraction, NaN = missing), [model][sparsity]
         * @param std      its standard deviation over repeats, [model][sparsity]
         * @param repeats  repeats per point (for the title)
         * @param classes  number of classes (chance = 1 / classes; 0 = unknown, no chance line)
         */
        public AccuracyBySparsity(double[] sparsity, List<String> models, double[][] mean, double[][] std, int repeats, int classes) {
            this.sparsity = sparsity.clone();
            this.models = List.copyOf(models);
            if (mean.length != models.size() || std.length != models.size()) throw new IllegalArgumentException("mean and std need one row per model");
            for (int m = 0; m < mean.length; m++) {
                if (mean[m].length != sparsity.length || std[m].length != sparsity.length) {
                    throw new IllegalArgumentException("model '" + models.get(m) + "' needs one value per sparsity");
                }
            }
            this.mean = mean;
            this.std = std;
            this.repeats = repeats;
            this.classes = classes;
        }
    }

    /**
     * Test accuracy (%) against sparsity, one line per model with ± std error bars; the sparsity
     * axis is logarithmic in the remaining connections (each step of the paper's ladder halves
     * them), the y axis starts at 0 and the chance level 100 / classes is drawn dashed.
     */
    public static void accuracyBySparsity(Path png, AccuracyBySparsity a) throws IOException {
        double[] x = new double[a.sparsity.length];
        String[] ticks = new String[x.length];
        for (int s = 0; s < x.length; s++) {
            x[s] = -Math.log(1 - a.sparsity[s]) / Math.log(2);
            double pct = 100 * a.sparsity[s];
            ticks[s] = java.math.BigDecimal.valueOf(pct).setScale(4, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString() + " %";
        }
        List<Series> series = new ArrayList<>();
        for (int m = 0; m < a.models.size(); m++) {
            double[] y = new double[x.length], e = new double[x.length];
            for (int s = 0; s < x.length; s++) {
                y[s] = 100 * a.mean[m][s];
                e[s] = 100 * a.std[m][s];
            }
            series.add(new Series(a.models.get(m), y, e));
        }
        double chance = a.classes > 0 ? 100.0 / a.classes : Double.NaN;
        linePlot(png, "Structure and delay learning (mean ± std over " + a.repeats + (a.repeats == 1 ? " repeat)" : " repeats)"),
                "sparsity (fraction of absent synapses)", "test accuracy (%)", x, ticks, series, chance,
                "chance (" + Canvas.fmt(chance) + " %, " + a.classes + " classes)", true);
    }

    /** A training run's per-epoch curves: typed input of {@link #trainingCurves}. */
    public static final class TrainingCurves {
        final double[] trainLoss, testLoss, trainAccuracy, testAccuracy, learningRate, delayLearningRate, sigma;
        final int classes;

        /**
         * One value per epoch each (epoch e at index e − 1); accuracies are fractions; {@code sigma}
         * is the Gaussian delay kernels' σ in steps (NaN for other delay kernels); {@code classes}
         * gives the chance level (0: none drawn).
         */
        public TrainingCurves(double[] trainLoss, double[] testLoss, double[] trainAccuracy, double[] testAccuracy,
                              double[] learningRate, double[] delayLearningRate, double[] sigma, int classes) {
            int n = trainLoss.length;
            for (double[] v : new double[][] {testLoss, trainAccuracy, testAccuracy, learningRate, delayLearningRate, sigma}) {
                if (v.length != n) throw new IllegalArgumentException("every curve needs one value per epoch (" + n + ")");
            }
            if (n == 0) throw new IllegalArgumentException("no epochs to draw");
            this.trainLoss = trainLoss.clone();
            this.testLoss = testLoss.clone();
            this.trainAccuracy = trainAccuracy.clone();
            this.testAccuracy = testAccuracy.clone();
            this.learningRate = learningRate.clone();
            this.delayLearningRate = delayLearningRate.clone();
            this.sigma = sigma.clone();
            this.classes = classes;
        }

        /**
         * The curves of per-epoch records of any type, read by the given accessors (e.g.
         * {@code EpochRecord::trainLoss}); accuracies as fractions, σ NaN where there is none.
         */
        @SafeVarargs
        public static <E> TrainingCurves of(List<E> epochs, int classes, java.util.function.ToDoubleFunction<E>... curves) {
            if (curves.length != 7) {
                throw new IllegalArgumentException("7 accessors: train loss, test loss, train accuracy, test accuracy, lr, delay lr, sigma");
            }
            double[][] v = new double[7][epochs.size()];
            for (int e = 0; e < epochs.size(); e++) for (int k = 0; k < 7; k++) v[k][e] = curves[k].applyAsDouble(epochs.get(e));
            return new TrainingCurves(v[0], v[1], v[2], v[3], v[4], v[5], v[6], classes);
        }
    }

    /**
     * The training curves in 2 × 2 panels over the epochs: loss (train, test), accuracy in %
     * (train, test, chance, from 0), the learning rates (weights: OneCycle; delays: cosine) and the
     * Gaussian delay kernels' σ.
     */
    public static void trainingCurves(Path png, TrainingCurves t) throws IOException {
        int n = t.trainLoss.length;
        double[] epochs = new double[n];
        for (int e = 0; e < n; e++) epochs[e] = e + 1;
        Canvas c = new Canvas(CURVES_WIDTH, CURVES_HEIGHT);
        c.text("Training curves (" + n + (n == 1 ? " epoch)" : " epochs)"), CURVES_WIDTH / 2.0, 20, Canvas.Align.CENTER, 18, true, Canvas.AXIS);
        int pw = CURVES_WIDTH / 2, ph = (CURVES_HEIGHT - 40) / 2;
        Rectangle[] panels = new Rectangle[4];
        for (int k = 0; k < 4; k++) {
            int px = (k % 2) * pw, py = 40 + (k / 2) * ph;
            panels[k] = new Rectangle(px + 95, py + 40, pw - 95 - 30, ph - 40 - 90);
        }
        String[] titles = {"loss (cross-entropy)", "accuracy", "learning rate", "delay kernel width σ"};
        for (int k = 0; k < 4; k++) {
            c.text(titles[k], panels[k].x + panels[k].width / 2.0, panels[k].y - 18, Canvas.Align.CENTER, 15, true, Canvas.AXIS);
        }
        chart(c, panels[0], "epoch", "loss", epochs, null,
                List.of(new Series("train", t.trainLoss, null), new Series("test", t.testLoss, null)), Double.NaN, null, false, true);
        double[] trA = new double[n], teA = new double[n];
        for (int e = 0; e < n; e++) {
            trA[e] = 100 * t.trainAccuracy[e];
            teA[e] = 100 * t.testAccuracy[e];
        }
        double chance = t.classes > 0 ? 100.0 / t.classes : Double.NaN;
        chart(c, panels[1], "epoch", "accuracy (%)", epochs, null,
                List.of(new Series("train", trA, null), new Series("test", teA, null)), chance,
                "chance (" + Canvas.fmt(chance) + " %)", true, true);
        // the two schedules differ twentyfold in scale: each relative to its own peak, the peaks named
        double lrPeak = peak(t.learningRate), dPeak = peak(t.delayLearningRate);
        chart(c, panels[2], "epoch", "learning rate / its peak", epochs, null,
                List.of(new Series("weights, OneCycle (peak " + String.format(java.util.Locale.ROOT, "%.3g", lrPeak) + ")", scaled(t.learningRate, lrPeak), null),
                        new Series("delays, cosine (peak " + String.format(java.util.Locale.ROOT, "%.3g", dPeak) + ")", scaled(t.delayLearningRate, dPeak), null)),
                Double.NaN, null, true, true);
        boolean anySigma = java.util.Arrays.stream(t.sigma).anyMatch(Double::isFinite);
        if (anySigma) {
            chart(c, panels[3], "epoch", "σ (steps)", epochs, null, List.of(new Series("σ", t.sigma, null)),
                    Double.NaN, null, true, true);
        } else {
            c.frame(panels[3]);
            c.text("no Gaussian delay kernels in this run", panels[3].x + panels[3].width / 2.0,
                    panels[3].y + panels[3].height / 2.0, Canvas.Align.CENTER, 14, false, Color.GRAY);
        }
        c.save(png);
    }

    private static double peak(double[] v) {
        double p = 0;
        for (double x : v) if (Double.isFinite(x)) p = Math.max(p, Math.abs(x));
        return p;
    }

    private static double[] scaled(double[] v, double by) {
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) out[k] = by > 0 ? v[k] / by : Double.NaN;
        return out;
    }

    /**
     * Draws series into {@code area}: y axis, x ticks, frame, lines with markers and error bars, an
     * optional dashed reference line, and the legend (right of the area, or in a row under the x
     * axis label when {@code legendBelow}).
     */
    private static void chart(Canvas c, Rectangle area, String xLabel, String yLabel, double[] x, String[] xTickLabels,
                              List<Series> series, double reference, String referenceLabel, boolean fromZero, boolean legendBelow) {
        if (x.length == 0) throw new IllegalArgumentException("no x values");
        if (xTickLabels != null && xTickLabels.length != x.length) throw new IllegalArgumentException("xTickLabels and x differ in length");
        for (Series s : series) {
            if (s.y.length != x.length) throw new IllegalArgumentException("series '" + s.name + "' has " + s.y.length + " values for " + x.length + " x");
        }
        double xlo = Double.POSITIVE_INFINITY, xhi = Double.NEGATIVE_INFINITY;
        for (double v : x) if (Double.isFinite(v)) { xlo = Math.min(xlo, v); xhi = Math.max(xhi, v); }
        double ylo = Double.POSITIVE_INFINITY, yhi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int k = 0; k < x.length; k++) {
                double v = s.y[k];
                if (!Double.isFinite(v)) continue;
                double e = s.err != null && Double.isFinite(s.err[k]) ? Math.abs(s.err[k]) : 0;
                ylo = Math.min(ylo, v - e);
                yhi = Math.max(yhi, v + e);
            }
        }
        if (Double.isFinite(reference)) { ylo = Math.min(ylo, reference); yhi = Math.max(yhi, reference); }
        if (fromZero) { ylo = Math.min(ylo, 0); yhi = Math.max(yhi, 0); }
        double[] xr = Canvas.range(xlo, xhi, 0.05);
        double[] yr = Canvas.range(ylo, yhi, 0.08);
        if (fromZero && ylo >= 0) yr[0] = 0;
        YAxis y = new YAxis(area, yr[0], yr[1]);
        y.draw(c, yLabel);
        java.util.function.DoubleUnaryOperator px = v -> area.x + (v - xr[0]) / (xr[1] - xr[0]) * area.width;
        List<double[]> xt = new ArrayList<>();
        List<String> xl = new ArrayList<>();
        if (xTickLabels != null) {
            for (int k = 0; k < x.length; k++) { xt.add(new double[] {x[k]}); xl.add(xTickLabels[k]); }
        } else {
            boolean whole = true; // x values that are all whole numbers (epochs) get whole-number ticks
            for (double v : x) whole &= v == Math.rint(v);
            double[] t = Canvas.ticks(xr[0], xr[1], 7, whole ? 1 : 0);
            double step = t.length > 1 ? t[1] - t[0] : 1;
            for (double v : t) { xt.add(new double[] {v}); xl.add(Canvas.tickLabel(v, step)); }
        }
        for (int k = 0; k < xt.size(); k++) {
            double xx = px.applyAsDouble(xt.get(k)[0]);
            c.g.setColor(Canvas.GRID);
            c.g.draw(new Line2D.Double(xx, area.y + 1, xx, area.y + area.height - 1));
            c.g.setColor(Canvas.AXIS);
            c.g.draw(new Line2D.Double(xx, area.y + area.height, xx, area.y + area.height + 5));
            c.text(xl.get(k), xx, area.y + area.height + 17, Canvas.Align.CENTER, 12, false, Canvas.AXIS);
        }
        c.frame(area);
        c.text(xLabel, area.x + area.width / 2.0, area.y + area.height + 45, Canvas.Align.CENTER, 15, false, Canvas.AXIS);
        if (Double.isFinite(reference)) {
            double ry = y.pixel(reference);
            c.g.setColor(Color.GRAY);
            c.g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 5f}, 0f));
            c.g.draw(new Line2D.Double(area.x + 1, ry, area.x + area.width - 1, ry));
            c.g.setStroke(new BasicStroke(1f));
            c.text(referenceLabel, area.x + area.width - 8, ry - 10, Canvas.Align.RIGHT, 12, false, Color.DARK_GRAY);
        }
        c.antialias(true);
        int legendX = area.x;
        for (int si = 0; si < series.size(); si++) {
            Series s = series.get(si);
            Color col = PALETTE[si % PALETTE.length];
            c.g.setColor(col);
            c.g.setStroke(new BasicStroke(2f));
            double prevX = Double.NaN, prevY = Double.NaN;
            for (int k = 0; k < x.length; k++) {
                if (!Double.isFinite(s.y[k]) || !Double.isFinite(x[k])) { prevX = Double.NaN; continue; }
                double xx = px.applyAsDouble(x[k]), yy = y.pixel(s.y[k]);
                if (!Double.isNaN(prevX)) c.g.draw(new Line2D.Double(prevX, prevY, xx, yy));
                prevX = xx;
                prevY = yy;
            }
            c.g.setStroke(new BasicStroke(1.5f));
            double marker = x.length > 60 ? 4 : 8;
            for (int k = 0; k < x.length; k++) {
                if (!Double.isFinite(s.y[k]) || !Double.isFinite(x[k])) continue;
                double xx = px.applyAsDouble(x[k]), yy = y.pixel(s.y[k]);
                if (s.err != null && Double.isFinite(s.err[k]) && s.err[k] != 0) {
                    double e = Math.abs(s.err[k]);
                    double t = y.pixel(s.y[k] + e), b = y.pixel(s.y[k] - e);
                    c.g.draw(new Line2D.Double(xx, t, xx, b));
                    c.g.draw(new Line2D.Double(xx - 5, t, xx + 5, t));
                    c.g.draw(new Line2D.Double(xx - 5, b, xx + 5, b));
                }
                c.g.fill(new Ellipse2D.Double(xx - marker / 2, yy - marker / 2, marker, marker));
            }
            // legend entry: right of the area, or in a row under the x-axis label
            int lx = legendBelow ? legendX : area.x + area.width + 18;
            legendX += 34 + c.textWidth(s.name, 13) + 28;
            int ly = legendBelow ? area.y + area.height + 66 : area.y + 14 + si * 24;
            c.g.setStroke(new BasicStroke(2f));
            c.g.draw(new Line2D.Double(lx, ly, lx + 26, ly));
            c.g.fill(new Ellipse2D.Double(lx + 9, ly - 4, 8, 8));
            c.text(s.name, lx + 34, ly, Canvas.Align.LEFT, 13, false, Canvas.AXIS);
        }
        c.antialias(false);
        c.g.setStroke(new BasicStroke(1f));
    }

    /** A linear vertical axis mapped onto a plot area, with grid lines and tick labels. */
    private static final class YAxis {
        final Rectangle area;
        final double lo, hi;

        YAxis(Rectangle area, double lo, double hi) {
            this.area = area;
            this.lo = lo;
            this.hi = hi;
        }

        double pixel(double v) {
            return area.y + area.height - (v - lo) / (hi - lo) * area.height;
        }

        void draw(Canvas c, String label) {
            double[] t = Canvas.ticks(lo, hi, 6);
            double step = t.length > 1 ? t[1] - t[0] : 1;
            for (double v : t) {
                double yy = pixel(v);
                c.g.setColor(Canvas.GRID);
                c.g.draw(new Line2D.Double(area.x + 1, yy, area.x + area.width - 1, yy));
                c.g.setColor(Canvas.AXIS);
                c.g.draw(new Line2D.Double(area.x - 5, yy, area.x, yy));
                c.text(Canvas.tickLabel(v, step), area.x - 8, yy, Canvas.Align.RIGHT, 12, false, Canvas.AXIS);
            }
            c.textVertical(label, area.x - 70, area.y + area.height / 2.0, 15, Canvas.AXIS);
        }
    }

    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        if (i + 1 >= sorted.length) return sorted[sorted.length - 1];
        return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
    }

    private static double[] finite(double[] v) {
        return Arrays.stream(v).filter(Double::isFinite).toArray();
    }

    private static void check(float[] field, int rows, int cols) {
        if (rows < 1 || cols < 1 || field == null || field.length != (long) rows * cols) {
            throw new IllegalArgumentException("field must hold rows × cols = " + rows + " × " + cols + " values");
        }
    }
}
