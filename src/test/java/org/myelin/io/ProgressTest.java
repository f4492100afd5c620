package org.myelin.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress line's layout at widths 80 and 120, and its rate and ETAs on a simulated clock. */
class ProgressTest {
    static final String LONG_STATUS = "loss 0.1234 acc 0.987 | a status far longer than any terminal line could hold, on purpose";

    @Test
    void linesFitTheWidthAndNeverEndInAnEmptySeparator() {
        for (int width : new int[] {80, 120}) {
            for (String status : new String[] {"", "loss 0.1234 acc 0.987", LONG_STATUS}) {
                String line = Progress.format(width, "epoch 150/150", 83, 84, 5.61, "batch", 3.2, 14 * 60 + 3, status);
                // shorter than the width: a line of exactly the width wraps on some terminals
                assertTrue(line.length() < width, width + ": " + line.length() + " " + line);
                assertFalse(line.endsWith("| ") || line.endsWith("|") || line.endsWith(" "), "'" + line + "'");
                assertTrue(line.startsWith("epoch 150/150 ["), "the bar shows at every width: " + line);
                assertTrue(line.contains("83/84"), line);
                assertTrue(line.contains("ETA 3s, run 14m03s left"), line);
                // the rate gives way to a status that does not fit beside it (the epoch's summary line has it)
                if (width == 120 && status != LONG_STATUS || status.isEmpty()) assertTrue(line.contains("5.61 batch/s"), line);
                if (status.isEmpty()) assertFalse(line.contains(" |  | "), line);
            }
        }
        String s80 = Progress.format(80, "epoch 3/150", 12, 84, 5.61, "batch", 13, 820, "loss 0.1234 acc 0.987");
        // 80 columns: the bar stays; the rate, then the status's last pair give way
        assertEquals("epoch 3/150 [##............] 12/84 | ETA 13s, run 13m40s left | loss 0.1234 ...", s80);
        assertEquals(79, s80.length());
        assertEquals("epoch 3/20 [##.........] 15/62 | ETA 12s, run 3m33s left | loss 72.28 acc 0.450",
                Progress.format(80, "epoch 3/20", 15, 62, 3.9, "batch", 12, 213, "loss 72.28 acc 0.450"));
        String s120 = Progress.format(120, "epoch 3/150", 12, 84, 5.61, "batch", 13, 820, "loss 0.1234 acc 0.987");
        assertEquals("epoch 3/150 [##..................] 12/84 | 5.61 batch/s | ETA 13s, run 13m40s left | loss 0.1234 acc 0.987", s120);
        // a status that does not fit is shortened, the rest stays
        String cut = Progress.format(80, "epoch 3/150", 12, 84, 5.61, "batch", 13, 820, LONG_STATUS);
        assertTrue(cut.endsWith("...") && cut.contains("ETA 13s, run 13m40s left") && cut.contains("["), cut);
        assertTrue(cut.length() < 80, cut);
        // the narrowest terminal (40): label, count and the epoch's ETA
        assertEquals("epoch 150/150 83/84 | ETA 3s", Progress.format(40, "epoch 150/150", 83, 84, 5.61, "batch", 3.2, 843, "loss 0.1234 acc 0.987"));
        // no stage: one ETA; unknown rate: '?'
        assertEquals("features [....................] 0/3000 | ? files/s | ETA ?", Progress.format(80, "features", 0, 3000, Double.NaN, "files",
                Double.NaN, Double.NaN, ""));
        assertEquals("features [####################] 3000/3000 | 412 files/s | done", Progress.format(80, "features", 3000, 3000, 412.3, "files",
                0, Double.NaN, " "));
    }

    @Test
    void terminalWidthFromColumns() {
        assertEquals(80, Progress.terminalWidth(null));
        assertEquals(80, Progress.terminalWidth("wide"));
        assertEquals(120, Progress.terminalWidth("120"));
        assertEquals(40, Progress.terminalWidth("12"));
    }

    /**
     * A 15-batch epoch of a 10-epoch run whose first batch takes 10 s (warm-up) and every other
     * 6 s: from the second batch on the ETA is the 13 × 6 = 78 s left (a since-start average would
     * say 104 s), and the run's ETA counts the other nine epochs. Not a timing test: the clock is
     * simulated.
     */
    @Test
    void rateSettlesAfterTheWarmUpAndTheRunEtaCountsEveryEpoch() {
        long[] now = {0};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        // 100 columns, so that the rate has room beside the status
        Progress p = new Progress("train", 150, "batch", err, false, 100, () -> now[0]);
        p.stage("epoch 1/10", 0, 15);
        long s = 1_000_000_000L;
        now[0] = 10 * s;
        p.update(1, "loss 2.3");
        for (int b = 2; b <= 15; b++) {
            now[0] += 6 * s; // every batch now takes 6 s; updates at most every 5 s are drawn
            p.update(b, "loss 2.3");
        }
        List<String> lines = List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
        assertTrue(lines.get(0).contains("ETA ?"), lines.get(0));
        String second = lines.get(1);
        assertTrue(second.contains("2/15") && second.contains("0.17 batch/s") && second.contains("ETA 1m18s, run 14m48s left"), second);
        String last = lines.get(lines.size() - 1);
        assertTrue(last.contains("15/15") && last.contains("done, run 13m30s left"), last);
        for (String l : lines) assertTrue(l.length() < 100 && l.contains("["), l);
    }

    /** A run resumed at epoch 9 of 10: the rate counts only this process's batches, the run ETA only what is left. */
    @Test
    void aResumedRunCountsOnlyWhatIsLeft() {
        long[] now = {0};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress("train", 150, "batch", new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 80, () -> now[0]);
        p.stage("epoch 9/10", 120, 15);
        long s = 1_000_000_000L;
        now[0] = 3 * s;
        p.update(121, "");
        now[0] += 10 * s;
        p.update(126, ""); // 5 batches in 10 s: 0.5 batch/s
        List<String> lines = List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
        assertEquals("epoch 9/10 [########............] 6/15 | 0.50 batch/s | ETA 18s, run 48s left", lines.get(1));
    }
}
