package org.myelin.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.myelin.io.Npy;

/**
 * The resampler against SciPy's {@code resample_poly} (golden/make_resample.py wrote the cases) and
 * its streaming form against its offline form.
 */
class ResamplerTest {
    /**
     * Tolerance against SciPy: 2e-6 absolute on signals of peak ≤ 0.8. Both sides compute the same
     * filter design in double; the differences are the float32 rounding of the output (≤ 3e-8 at
     * this level), the filter coefficients' own rounding (firwin's sinc and Kaiser window versus
     * ours, ~1e-15 relative) summed over ≤ 160 taps, and SciPy summing in another order. 2e-6 is
     * about -114 dB full scale: a different filter (another window, length or cut-off) misses it by
     * orders of magnitude, as {@link #aDifferentFilterFailsTheTolerance} shows.
     */
    static final double TOLERANCE = 2e-6;
    static final int[][] PAIRS = {{16000, 8000}, {48000, 8000}, {44100, 8000}, {22050, 8000}, {8000, 16000}, {11025, 8000}, {8000, 44100}};

    static Path golden(String name) {
        return Path.of("golden", "resample", name);
    }

    @Test
    void matchesScipyResamplePoly() throws Exception {
        for (int[] p : PAIRS) {
            String base = p[0] + "_" + p[1];
            float[] x = Npy.read(golden(base + ".x.npy")).f;
            float[] want = Npy.read(golden(base + ".y.npy")).f;
            float[] got = Resampler.resample(x, p[0], p[1]);
            assertEquals(want.length, got.length, base + ": output length");
            double worst = 0;
            for (int i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - got[i]));
            assertTrue(worst <= TOLERANCE, base + ": max |error| " + worst + " > " + TOLERANCE);
        }
    }

    @Test
    void aDifferentFilterFailsTheTolerance() throws Exception {
        // a plain decimation (no filter) of 48 kHz to 8 kHz is far off: the check has teeth
        float[] x = Npy.read(golden("48000_8000.x.npy")).f;
        float[] want = Npy.read(golden("48000_8000.y.npy")).f;
        double worst = 0;
        for (int i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - x[6 * i]));
        assertTrue(worst > 1000 * TOLERANCE, "decimation error " + worst);
    }

    @Test
    void streamingGivesTheOfflineBitsForAnyChunking() {
        Random r = new Random(3);
        for (int[] p : PAIRS) {
            float[] x = new float[3000 + r.nextInt(500)];
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 0.2);
            float[] offline = Resampler.resample(x, p[0], p[1]);
            for (int trial = 0; trial < 3; trial++) {
                Resampler rs = new Resampler(p[0], p[1]);
                float[] out = new float[offline.length + 4];
                int w = 0, q = 0;
                while (q < x.length) {
                    int n = Math.min(x.length - q, trial == 0 ? 1 : 1 + r.nextInt(700));
                    float[] buf = new float[rs.maxOutput(n)];
                    int got = rs.process(x, q, n, buf, 0);
                    System.arraycopy(buf, 0, out, w, got);
                    w += got;
                    q += n;
                }
                assertEquals(offline.length - w, rs.tailLength());
                w += rs.finish(out, w);
                assertEquals(offline.length, w, p[0] + "->" + p[1]);
                assertArrayEquals(offline, java.util.Arrays.copyOf(out, w), p[0] + "->" + p[1] + " trial " + trial);
            }
        }
    }

    @Test
    void equalRatesCopyAndBadRatesAreRefused() {
        float[] x = {0.1f, -0.5f, 0.25f};
        assertArrayEquals(x, Resampler.resample(x, 8000, 8000));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Resampler(0, 8000));
        assertTrue(e.getMessage().contains("0 Hz"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Resampler(8000, -1));
        assertThrows(IllegalArgumentException.class, () -> new Resampler(2_000_000_000, 8000));
        e = assertThrows(IllegalArgumentException.class, () -> new Resampler(99_991, 8000));
        assertTrue(e.getMessage().contains("99991 Hz"), e.getMessage());
        Resampler rs = new Resampler(16000, 8000);
        rs.finish(new float[4], 0);
        assertThrows(IllegalStateException.class, () -> rs.process(x, 0, 1, new float[4], 0));
    }
}
