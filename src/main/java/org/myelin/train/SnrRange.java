package org.myelin.train;

import java.util.Locale;

/**
 * A range of signal-to-noise ratios in dB, {@code lo ≤ hi}, both finite: the {@code --aug-snr LO:HI}
 * setting (uniform per sample; {@code LO:LO} or a single number is one fixed SNR).
 */
public record SnrRange(double lo, double hi) {
    public SnrRange {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) throw new IllegalArgumentException("--aug-snr needs finite dB values, got " + lo + ":" + hi);
        if (lo > hi) throw new IllegalArgumentException("--aug-snr LO:HI needs LO ≤ HI, got " + text(lo) + ":" + text(hi));
    }

    /**
     * Reads {@code LO:HI} or a single {@code X} (dB).
     *
     * @throws IllegalArgumentException naming {@code --aug-snr} when the text is not such a range
     */
    public static SnrRange parse(String s) {
        String t = s.strip();
        int colon = t.indexOf(':');
        try {
            if (colon < 0) {
                double v = Double.parseDouble(t);
                return new SnrRange(v, v);
            }
            return new SnrRange(Double.parseDouble(t.substring(0, colon).strip()), Double.parseDouble(t.substring(colon + 1).strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--aug-snr takes LO:HI in dB (e.g. 0:20) or one value, got '" + s + "'");
        }
    }

    /** The form {@link #parse} reads back: {@code LO:HI}. */
    public String id() {
        return text(lo) + ":" + text(hi);
    }

    private static String text(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return String.format(Locale.ROOT, "%s", v);
    }

    @Override
    public String toString() {
        return id();
    }
}
