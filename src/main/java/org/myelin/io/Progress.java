package org.myelin.io;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on stderr: done/total, rate, ETA and a free-form status.
 * Redraws at most every 200 ms on a terminal; when stderr is not a terminal it prints a
 * plain line at most every 5 seconds so that logs stay readable.
 */
public final class Progress {
    private final PrintStream err;
    private final String label;
    private final long total;
    private final String unit;
    private final long start = System.nanoTime();
    private final boolean tty = System.console() != null;
    private long lastDraw;
    private int lastLen;

    /** A display for {@code total} units of work (e.g. batches), labelled, with the unit name shown in the rate. */
    public Progress(String label, long total, String unit) {
        this.err = System.err;
        this.label = label;
        this.total = total;
        this.unit = unit;
    }

    /** Reports {@code done} of the total, with a status text (may be empty). */
    public void update(long done, String status) {
        long now = System.nanoTime();
        long interval = tty ? 200_000_000L : 5_000_000_000L;
        if (done < total && now - lastDraw < interval) return;
        lastDraw = now;
        double secs = (now - start) / 1e9;
        double rate = secs > 0 ? done / secs : 0;
        String eta = rate > 0 && done < total ? formatSeconds((total - done) / rate) : "-";
        String line = String.format(Locale.ROOT, "%s %d/%d %s | %.1f %s/s | ETA %s | %s",
                label, done, total, bar(done), rate, unit, eta, status);
        if (tty) {
            StringBuilder pad = new StringBuilder(line);
            while (pad.length() < lastLen) pad.append(' ');
            err.print("\r" + pad);
            lastLen = line.length();
            if (done >= total) err.println();
        } else {
            err.println(line);
        }
        err.flush();
    }

    private String bar(long done) {
        int width = 20;
        int filled = total <= 0 ? width : (int) Math.min(width, done * width / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    /** A duration as "42s", "3m05s" or "1h02m". */
    public static String formatSeconds(double s) {
        long t = Math.round(s);
        if (t >= 3600) return String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60);
        if (t >= 60) return String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
        return t + "s";
    }
}
