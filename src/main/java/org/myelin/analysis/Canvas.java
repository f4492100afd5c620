package org.myelin.analysis;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.myelin.io.AtomicFiles;

/**
 * Drawing helpers shared by the figures: an RGB image with a white background, text that never
 * takes the figure down, linear axes with "nice" ticks, and an atomic PNG write.
 */
final class Canvas {
    static {
        // Must be set before any AWT class initialises a display connection.
        System.setProperty("java.awt.headless", "true");
    }

    static final Color AXIS = new Color(40, 40, 40);
    static final Color GRID = new Color(225, 225, 225);

    final BufferedImage img;
    final Graphics2D g;
    private boolean textWorks = true;

    Canvas(int width, int height) {
        img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    }

    void antialias(boolean on) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, on ? RenderingHints.VALUE_ANTIALIAS_ON : RenderingHints.VALUE_ANTIALIAS_OFF);
    }

    /** Horizontal alignment of text relative to the anchor x. */
    enum Align { LEFT, CENTER, RIGHT }

    /**
     * Draws text with its baseline centred vertically on y (ascent/2). A machine without usable
     * fonts must still get its figure, so a failing font subsystem only drops the text.
     */
    void text(String s, double x, double y, Align align, int size, boolean bold, Color color) {
        if (!textWorks || s == null || s.isEmpty()) return;
        try {
            g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size));
            g.setColor(color);
            FontMetrics fm = g.getFontMetrics();
            int w = fm.stringWidth(s);
            double x0 = align == Align.LEFT ? x : align == Align.CENTER ? x - w / 2.0 : x - w;
            g.drawString(s, (float) x0, (float) (y + fm.getAscent() / 2.0 - 1));
        } catch (RuntimeException | Error e) { // headless JDK without fontconfig: keep the graphics
            textWorks = false;
        }
    }

    /** Text rotated by −90° (reading upwards), centred on (x, y). */
    void textVertical(String s, double x, double y, int size, Color color) {
        if (!textWorks) return;
        AffineTransform saved = g.getTransform();
        try {
            g.translate(x, y);
            g.rotate(-Math.PI / 2);
            text(s, 0, 0, Align.CENTER, size, false, color);
        } finally {
            g.setTransform(saved);
        }
    }

    int textWidth(String s, int size) {
        if (!textWorks) return 0;
        try {
            return g.getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, size)).stringWidth(s);
        } catch (RuntimeException | Error e) {
            textWorks = false;
            return 0;
        }
    }

    void frame(Rectangle r) {
        g.setColor(AXIS);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(r.x, r.y, r.width, r.height);
    }

    /** Encodes the image as PNG and writes it atomically. */
    void save(Path file) throws IOException {
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer available");
        AtomicFiles.write(file, out.toByteArray());
    }

    /** Tick positions: multiples of a 1-2-5 step covering [lo, hi], about {@code target} of them. */
    static double[] ticks(double lo, double hi, int target) {
        return ticks(lo, hi, target, 0);
    }

    /** As {@link #ticks(double, double, int)} with a step of at least {@code minStep} (1: whole numbers only, e.g. epochs). */
    static double[] ticks(double lo, double hi, int target, double minStep) {
        if (!(hi > lo)) return new double[] {lo};
        double step = Math.max(minStep, niceStep((hi - lo) / Math.max(1, target)));
        double first = Math.ceil(lo / step - 1e-9) * step;
        int n = (int) Math.floor((hi - first) / step + 1e-9) + 1;
        double[] t = new double[Math.max(n, 0)];
        for (int k = 0; k < t.length; k++) {
            double v = first + k * step;
            t[k] = Math.abs(v) < step * 1e-9 ? 0.0 : v;
        }
        return t;
    }

    static double niceStep(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * mag;
    }

    /** Label for a tick value with as many decimals as the tick step needs. */
    static String tickLabel(double v, double step) {
        int decimals = step >= 1 || step <= 0 ? 0 : (int) Math.min(10, Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** A compact number for titles and legends (3 significant digits, scientific when tiny). */
    static String fmt(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == 0) return "0";
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) {
            String s = String.format(Locale.ROOT, "%.4g", v);
            if (s.contains(".") && !s.contains("e")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            return s;
        }
        return String.format(Locale.ROOT, "%.3g", v).replace("e-0", "e-").replace("e+0", "e").replace("e+", "e");
    }

    /** Bounds [lo, hi] of finite values with a relative margin; a degenerate range is widened. */
    static double[] range(double lo, double hi, double margin) {
        if (!(lo <= hi)) return new double[] {0, 1};
        if (hi == lo) {
            double pad = lo == 0 ? 1 : Math.abs(lo) * 0.1;
            return new double[] {lo - pad, hi + pad};
        }
        double pad = (hi - lo) * margin;
        return new double[] {lo - pad, hi + pad};
    }
}
