package org.myelin.io;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display on stderr for a whole run: position, rate, the ETA of the current
 * stage and of the whole run, and a free-form status, fitted to the terminal's width.
 *
 * <p>A run has {@code total} units (e.g. every batch of every epoch). Optional stages split it
 * (e.g. {@code stage("epoch 3/150", 2 * 84, 84)}): the line then counts within the stage and shows
 * both ETAs, {@code ETA 13s, run 13m40s left}.
 *
 * <p>Rate: measured from the first update on (the first unit, which pays for JIT compilation and
 * warm-up, is not part of it), over the last {@value #WINDOW_SECONDS} seconds, so it settles after
 * a few updates and follows a changing pace. The run's ETA uses the average pace since the first
 * update, pauses between stages (e.g. evaluation) included. With fewer than two updates no rate is
 * shown ({@code ETA ?}).
 *
 * <p>Output: on a terminal the line is redrawn in place at most every 200 ms and ended when a
 * stage (or the run) completes; otherwise a plain line at most every 5 seconds. Width: the
 * {@code COLUMNS} environment variable when it is a number, else 80; a line stays shorter than it
 * (see {@link #format} for what gives way first).
 */
public final class Progress {
    /** Seconds of history the displayed rate is measured over. */
    public static final int WINDOW_SECONDS = 20;
    private static final int RING = 512;

    private final PrintStream err;
    private final String label;
    private final long total;
    private final String unit;
    private final boolean tty;
    private final int width;
    private final java.util.function.LongSupplier clock;
    private String stage;
    private long stageStart, stageLength;
    private long lastDraw = Long.MIN_VALUE;
    private int lastLen;
    // (time, done) samples, one per update at most every 20 ms; the first is the first update
    private final long[] times = new long[RING];
    private final long[] dones = new long[RING];
    private int count;
    private long firstTime, firstDone;

    /**
     * A display for {@code total} units of work (e.g. batches), labelled, with the unit name shown
     * in the rate. A resumed run simply reports its first update with the units already done: the
     * rate counts only what this display saw.
     */
    public Progress(String label, long total, String unit) {
        this(label, total, unit, System.err, System.console() != null, terminalWidth(System.getenv("COLUMNS")), System::nanoTime);
    }

    /** A display writing to {@code err}, as on a terminal or not, {@code width} wide, timed by {@code clock} (ns). */
    Progress(String label, long total, String unit, PrintStream err, boolean tty, int width,
             java.util.function.LongSupplier clock) {
        this.err = err;
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.tty = tty;
        this.width = width;
        this.clock = clock;
    }

    /** The display width for a {@code COLUMNS} value: the number when it is one (at least 40), else 80. */
    static int terminalWidth(String columns) {
        if (columns != null) {
            try {
                int c = Integer.parseInt(columns.trim());
                if (c > 0) return Math.max(40, c);
            } catch (NumberFormatException e) {
                // not a number: the default
            }
        }
        return 80;
    }

    /**
     * Starts a stage: units {@code [start, start + length)} of the run, shown under {@code name}
     * (e.g. "epoch 3/150") instead of the run's label.
     */
    public void stage(String name, long start, long length) {
        this.stage = name;
        this.stageStart = start;
        this.stageLength = length;
    }

    /** Reports {@code done} units of the whole run, with a status text (may be empty). */
    public void update(long done, String status) {
        long now = clock.getAsLong();
        record(now, done);
        boolean stageEnd = stage != null && done >= stageStart + stageLength;
        boolean end = done >= total || stageEnd;
        long interval = tty ? 200_000_000L : 5_000_000_000L;
        if (!end && lastDraw != Long.MIN_VALUE && now - lastDraw < interval) return;
        lastDraw = now;
        double rate = rate(now);
        double runRate = runRate();
        double stageEta = Double.NaN, runEta = Double.NaN;
        if (rate > 0) stageEta = ((stage != null ? stageStart + stageLength : total) - done) / rate;
        if (runRate > 0 && done < total) runEta = (total - done) / runRate;
        long shownDone = stage != null ? done - stageStart : done;
        long shownTotal = stage != null ? stageLength : total;
        String line = format(width, stage != null ? stage : label, shownDone, shownTotal, rate, unit, stageEta,
                stage != null ? runEta : Double.NaN, status);
        if (tty) {
            StringBuilder pad = new StringBuilder(line);
            while (pad.length() < Math.min(lastLen, width - 1)) pad.append(' ');
            err.print("\r" + pad);
            lastLen = line.length();
            if (end) {
                err.println();
                lastLen = 0;
                lastDraw = Long.MIN_VALUE;
            }
        } else {
            err.println(line);
        }
        err.flush();
    }

    private void record(long now, long done) {
        if (count > 0 && now - times[(count - 1) % RING] < 20_000_000L && done < total) {
            dones[(count - 1) % RING] = done; // too soon for a new sample: refresh the last one
            times[(count - 1) % RING] = now;
            return;
        }
        if (count == 0) {
            firstTime = now;
            firstDone = done;
        }
        times[count % RING] = now;
        dones[count % RING] = done;
        count++;
    }

    /** Units per second over the last {@link #WINDOW_SECONDS} seconds of samples, or NaN. */
    private double rate(long now) {
        if (count < 2) return Double.NaN;
        int last = (count - 1) % RING;
        int oldest = count - 1;
        long limit = now - WINDOW_SECONDS * 1_000_000_000L;
        while (oldest - 1 >= Math.max(0, count - RING) && times[(oldest - 1) % RING] >= limit) oldest--;
        if (oldest == count - 1) oldest = count - 2; // at least one interval
        int o = oldest % RING;
        double secs = (times[last] - times[o]) / 1e9;
        return secs > 0 ? (dones[last] - dones[o]) / secs : Double.NaN;
    }

    /** Units per second since the first update, or NaN. */
    private double runRate() {
        if (count < 2) return Double.NaN;
        int last = (count - 1) % RING;
        double secs = (times[last] - firstTime) / 1e9;
        return secs > 0 ? (dones[last] - firstDone) / secs : Double.NaN;
    }

    /**
     * One progress line of fewer than {@code width} characters, so that it never wraps (package-private
     * for tests): {@code label [bar] done/total | rate unit/s | ETA stage[, run R left] | status}. A
     * NaN rate or ETA shows as "?"; a NaN run ETA is left out; an empty status adds nothing.
     *
     * <p>What gives way when the line is too long, in this order: the bar shrinks from 20 cells to
     * 10, the rate goes (the epoch's summary line has it), the status loses words from its end
     * (pairs of words when it has an even number: "name value" pairs; "..." marks the cut) and then
     * goes, and then the bar goes; the label, the count and the ETA
     * stay (cut only on a terminal narrower than they are). So the bar shows on every update, in
     * a terminal 80 columns wide too.
     */
    static String format(int width, String label, long done, long total, double rate, String unit,
                         double eta, double runEta, String status) {
        int max = width - 1;
        String count = done + "/" + total;
        String r = Double.isFinite(rate) ? rateText(rate) + " " + unit + "/s" : "? " + unit + "/s";
        String e = done >= total ? "done" : "ETA " + (Double.isFinite(eta) ? formatSeconds(eta) : "?");
        if (Double.isFinite(runEta)) e += ", run " + formatSeconds(runEta) + " left";
        String s = status == null ? "" : status.trim();
        String[] words = s.isEmpty() ? new String[0] : s.split("\\s+");
        for (int bar = 1; bar >= 0; bar--) {
            for (int withRate = 1; withRate >= 0; withRate--) {
                // a status of "name value" pairs loses whole pairs
                int step = words.length % 2 == 0 ? 2 : 1;
                for (int keep = words.length; keep >= 0; keep -= step) {
                    if (withRate == 1 && keep < words.length) break; // the rate goes before any word
                    String st = keep == words.length ? s : keep == 0 ? "" : String.join(" ", java.util.Arrays.copyOf(words, keep)) + " ...";
                    String rest = join(new String[] {"", withRate == 1 ? r : "", e, st});
                    if (bar == 1) {
                        int spare = max - (label.length() + 1 + count.length() + rest.length());
                        if (spare >= 13) { // a bar of 10 cells, its brackets and a space
                            int cells = Math.min(20, spare - 3);
                            int filled = total <= 0 ? cells : (int) Math.min(cells, Math.max(0, done) * cells / total);
                            return label + " [" + "#".repeat(filled) + ".".repeat(cells - filled) + "] " + count + rest;
                        }
                    } else {
                        String line = label + " " + count + rest;
                        if (line.length() <= max) return line;
                    }
                }
            }
        }
        String line = label + " " + count + join(new String[] {"", e});
        if (line.length() > max && e.contains(",")) line = label + " " + count + join(new String[] {"", e.substring(0, e.indexOf(','))});
        return line.length() <= max ? line : line.substring(0, max).trim();
    }

    /** The non-empty parts joined by " | ", each preceded by it when the first part is "" (a tail to append). */
    private static String join(String[] parts) {
        StringBuilder sb = new StringBuilder();
        boolean tail = parts.length > 0 && parts[0].isEmpty();
        for (String p : parts) {
            if (p == null || p.isEmpty()) continue;
            if (sb.length() > 0 || tail) sb.append(" | ");
            sb.append(p);
        }
        return sb.toString();
    }

    private static String rateText(double rate) {
        if (rate >= 100) return String.format(Locale.ROOT, "%.0f", rate);
        if (rate >= 10) return String.format(Locale.ROOT, "%.1f", rate);
        return String.format(Locale.ROOT, "%.2f", rate);
    }

    /** A duration as "42s", "3m05s" or "1h02m". */
    public static String formatSeconds(double s) {
        long t = Math.round(s);
        if (t >= 3600) return String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60);
        if (t >= 60) return String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
        return t + "s";
    }
}
