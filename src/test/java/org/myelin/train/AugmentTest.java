package org.myelin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.myelin.data.Dataset;
import org.myelin.network.NetConfig;

/** Each augmentation does what Augment's documentation says, and only that; draws are reproducible. */
class AugmentTest {
    /** A configuration for data of T steps × C channels with every augmentation off. */
    private static TrainConfig config(int T, int C) {
        TrainConfig tc = new TrainConfig();
        tc.net = NetConfig.builder().inputs(C).hidden(4).outputs(10).steps(T).maxDelay(2).build();
        tc.seed = 42;
        return tc;
    }

    /** {@link #config} with all five augmentations on (shift 3, blend 0.5, noise 0.1, masks 2 and 3). */
    private static TrainConfig allFive(int T, int C) {
        TrainConfig tc = config(T, C);
        tc.augShift = 3;
        tc.augBlend = 0.5;
        tc.augNoise = 0.1;
        tc.augFreqMask = 2;
        tc.augTimeMask = 3;
        return tc;
    }

    /** Sample s, frame t, channel c holds 1000·s + 10·t + c + 1 (every value distinct, none 0). */
    private static Dataset distinctFrames(int n, int T, int C, int classes) {
        float[] x = new float[n * T * C];
        int[] y = new int[n];
        for (int s = 0; s < n; s++) {
            y[s] = s % classes;
            for (int t = 0; t < T; t++) for (int c = 0; c < C; c++) x[(s * T + t) * C + c] = 1000 * s + 10 * t + c + 1;
        }
        return new Dataset(x, y, T, C, classes, null);
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int k = 0; k < n; k++) p[k] = k;
        return p;
    }

    @Test
    void offMeansNoAugmenter() {
        assertNull(Augment.of(config(8, 3), distinctFrames(4, 8, 3, 2)));
        assertFalse(Augment.any(new TrainConfig()), "the defaults are off");
    }

    @Test
    void shiftRepeatsTheEdgeFrames() {
        int T = 7, C = 3;
        float[] in = distinctFrames(1, T, C, 1).x;
        float[] tmp = new float[T * C];
        for (int k = -T + 1; k < T; k++) {
            float[] x = new float[T * C + 5]; // at an offset, with a guard band either side
            Arrays.fill(x, -9f);
            System.arraycopy(in, 0, x, 2, T * C);
            Augment.shift(x, 2, T, C, k, tmp);
            for (int t = 0; t < T; t++) {
                int from = Math.min(T - 1, Math.max(0, t - k)); // frame t takes t − k, edges repeated
                for (int c = 0; c < C; c++) assertEquals(in[from * C + c], x[2 + t * C + c], "k " + k + " t " + t + " c " + c);
            }
            assertEquals(-9f, x[0]);
            assertEquals(-9f, x[1]);
            for (int q = 2 + T * C; q < x.length; q++) assertEquals(-9f, x[q], "k " + k + ": wrote past the sample");
        }
    }

    /** The shift drawn per sample is uniform over [−S, S]: every value occurs, none outside. */
    @Test
    void shiftsStayWithinTheirRangeAndCoverIt() {
        int T = 20, C = 2, S = 3, n = 400;
        TrainConfig tc = config(T, C);
        tc.augShift = S;
        Dataset d = distinctFrames(n, T, C, 4);
        float[] x = new float[n * T * C];
        new Augment(tc, d).fill(d, identity(n), 0, n, 0, 0, 1f, x);
        int[] seen = new int[2 * S + 1];
        for (int s = 0; s < n; s++) {
            // the middle frame (never an edge copy for |k| ≤ S) tells the shift: it holds frame T/2 − k
            float v = x[(s * T + T / 2) * C];
            int srcFrame = Math.round((v - 1 - 1000 * s) / 10);
            int k = T / 2 - srcFrame;
            assertTrue(k >= -S && k <= S, "shift " + k + " outside ±" + S);
            seen[k + S]++;
            float[] expect = new float[T * C], tmp = new float[T * C];
            System.arraycopy(d.x, s * T * C, expect, 0, T * C);
            Augment.shift(expect, 0, T, C, k, tmp);
            assertArrayEquals(expect, Arrays.copyOfRange(x, s * T * C, (s + 1) * T * C), "sample " + s + " is its shift by " + k);
        }
        for (int k = 0; k < seen.length; k++) {
            // 400 draws over 7 values: each expected 57 times; below 25 has probability < 1e-8
            assertTrue(seen[k] > 25, "shift " + (k - S) + " drawn " + seen[k] + " times of " + n);
        }
    }

    /**
     * Blend: sample s has 1 on its own channel s at every frame; a blended one has λ on s and
     * 1 − λ on its partner's channel, so the partner and λ can be read off.
     */
    @Test
    void blendMixesOnlyWithinTheClassInProportionsInRange() {
        int n = 30, T = 4, C = n, classes = 3;
        float[] xs = new float[n * T * C];
        int[] y = new int[n];
        for (int s = 0; s < n; s++) {
            y[s] = (s * 7) % classes;
            for (int t = 0; t < T; t++) xs[(s * T + t) * C + s] = 1f;
        }
        Dataset d = new Dataset(xs, y, T, C, classes, null);
        TrainConfig tc = config(T, C);
        tc.augBlend = 0.5;
        Augment a = new Augment(tc, d);
        int blended = 0, draws = 0;
        double lambdaSum = 0;
        float[] x = new float[n * T * C];
        for (int epoch = 0; epoch < 20; epoch++) {
            a.fill(d, identity(n), 0, n, epoch, 0, 1f, x);
            for (int s = 0; s < n; s++) {
                draws++;
                int base = s * T * C;
                float own = x[base + s];
                int partner = -1;
                for (int c = 0; c < C; c++) if (c != s && x[base + c] != 0f) {
                    assertEquals(-1, partner, "one partner only");
                    partner = c;
                }
                for (int t = 1; t < T; t++) {
                    assertArrayEquals(Arrays.copyOfRange(x, base, base + C), Arrays.copyOfRange(x, base + t * C, base + (t + 1) * C),
                            "frame-aligned: every frame mixed alike");
                }
                if (partner < 0) {
                    assertTrue(own == 1f || own == 0f, "unblended sample unchanged (or λ = 0 with a partner): " + own);
                    continue;
                }
                blended++;
                assertEquals(y[s], y[partner], "partner of " + s + " from another class");
                assertTrue(own >= 0f && own < 1f, "λ " + own + " outside [0, 1)");
                assertEquals(1f, own + x[base + partner], 1e-6f, "proportions sum to 1");
                lambdaSum += own;
            }
        }
        // 600 draws with p = 0.5: 300 ± 12.2 expected; outside [240, 360] has probability < 1e-6
        assertTrue(blended > 240 && blended < 360, blended + " of " + draws + " blended at p = 0.5");
        double meanLambda = lambdaSum / blended; // uniform: 0.5 ± 0.29/√300 = ± 0.017
        assertTrue(Math.abs(meanLambda - 0.5) < 0.085, "mean λ " + meanLambda);
    }

    @Test
    void aClassOfOneSampleIsNeverBlended() {
        int T = 3, C = 2;
        Dataset d = distinctFrames(3, T, C, 3); // three classes, one sample each
        TrainConfig tc = config(T, C);
        tc.augBlend = 1;
        float[] x = new float[3 * T * C];
        new Augment(tc, d).fill(d, identity(3), 0, 3, 0, 0, 1f, x);
        assertArrayEquals(d.x, x);
    }

    @Test
    void masksAreContiguousZeroBandsWithinTheirWidths() {
        int T = 16, C = 12, n = 300, F = 5, W = 6;
        float[] ones = new float[n * T * C];
        Arrays.fill(ones, 1f);
        Dataset d = new Dataset(ones, new int[n], T, C, 1, null);
        for (boolean freq : new boolean[] {true, false}) {
            TrainConfig tc = config(T, C);
            if (freq) tc.augFreqMask = F;
            else tc.augTimeMask = W;
            float[] x = new float[n * T * C];
            new Augment(tc, d).fill(d, identity(n), 0, n, 3, 1, 1f, x);
            int max = freq ? F : W, len = freq ? C : T;
            int[] widths = new int[max + 1];
            boolean firstHit = false, lastHit = false;
            for (int s = 0; s < n; s++) {
                boolean[] zero = new boolean[len];
                for (int t = 0; t < T; t++) for (int c = 0; c < C; c++) {
                    float v = x[(s * T + t) * C + c];
                    assertTrue(v == 0f || v == 1f);
                    if (v == 0f) zero[freq ? c : t] = true;
                }
                // a masked channel is zero at every frame (a masked frame at every channel)
                for (int t = 0; t < T; t++) for (int c = 0; c < C; c++) {
                    assertEquals(zero[freq ? c : t], x[(s * T + t) * C + c] == 0f, "mask spans the whole other axis");
                }
                int first = -1, last = -2;
                for (int k = 0; k < len; k++) if (zero[k]) {
                    if (first < 0) first = k;
                    last = k;
                }
                int w = first < 0 ? 0 : last - first + 1;
                for (int k = first; k >= 0 && k <= last; k++) assertTrue(zero[k], "the mask is one contiguous band");
                assertTrue(w <= max, "width " + w + " above " + max);
                widths[w]++;
                firstHit |= first == 0;
                lastHit |= last == len - 1;
            }
            for (int w = 0; w <= max; w++) assertTrue(widths[w] > 10, (freq ? "channel" : "time") + " mask width " + w + " drawn " + widths[w] + " times");
            assertTrue(firstHit && lastHit, "bands reach both edges");
        }
    }

    @Test
    void noiseHasTheGivenLevel() {
        int T = 80, C = 40, n = 64;
        Dataset d = new Dataset(new float[n * T * C], new int[n], T, C, 1, null);
        TrainConfig tc = config(T, C);
        tc.augNoise = 0.3;
        float[] x = new float[n * T * C];
        new Augment(tc, d).fill(d, identity(n), 0, n, 1, 2, 1f, x);
        double sum = 0, ss = 0, fourth = 0;
        for (float v : x) {
            sum += v;
            ss += (double) v * v;
        }
        int m = x.length;
        double mean = sum / m, var = ss / m - mean * mean;
        for (float v : x) fourth += Math.pow((v - mean) / Math.sqrt(var), 4);
        // 204,800 values: the mean's standard error is 0.3/√m = 6.6e-4, the std's relative error 1/√(2m) = 0.16 %
        assertEquals(0, mean, 4 * 0.3 / Math.sqrt(m), "noise mean");
        assertEquals(0.3, Math.sqrt(var), 0.3 * 4 / Math.sqrt(2.0 * m), "noise standard deviation");
        assertEquals(3, fourth / m, 0.1, "kurtosis of a normal distribution"); // se √(96/m) = 0.022
        // noise is added, not substituted: on data of 5, the mean is 5
        float[] fives = new float[n * T * C];
        Arrays.fill(fives, 5f);
        Dataset d5 = new Dataset(fives, new int[n], T, C, 1, null);
        float[] x5 = new float[n * T * C];
        new Augment(tc, d5).fill(d5, identity(n), 0, n, 1, 2, 2f, x5);
        for (int q = 0; q < m; q++) assertEquals(2 * (5 + x[q]), x5[q], 1e-5f, "scale applies after the noise");
    }

    /**
     * The samples of a batch split over a team give the bits of the calling thread alone, for 2 and
     * 3 threads and batch sizes that do not divide evenly (each sample draws from its own seed and
     * writes only its own rows).
     */
    @Test
    void aTeamFillsTheSameBitsAsOneThread() {
        int T = 10, C = 4, n = 13;
        Dataset d = distinctFrames(n, T, C, 2);
        TrainConfig tc = allFive(T, C);
        float[] alone = new float[n * T * C];
        Augment.of(tc, d).fill(d, identity(n), 0, n, 3, 1, 1.5f, alone);
        for (int threads : new int[] {2, 3}) {
            try (org.myelin.kernel.Parallel par = new org.myelin.kernel.Parallel(threads)) {
                Augment a = Augment.of(tc, d, null, null, par);
                for (int B : new int[] {n, 5, 1}) {
                    float[] team = new float[n * T * C];
                    a.fill(d, identity(n), 0, B, 3, 1, 1.5f, team);
                    assertArrayEquals(Arrays.copyOf(alone, B * T * C), Arrays.copyOf(team, B * T * C), threads + " threads, batch " + B);
                }
            }
        }
    }

    /** The draws are a function of (seed, epoch, batch, position in batch): same inputs, same bits; any change, other bits. */
    @Test
    void drawsDependOnSeedEpochBatchAndSampleOnly() {
        int T = 10, C = 4, n = 8;
        Dataset d = distinctFrames(n, T, C, 2);
        TrainConfig tc = allFive(T, C);
        float[] a = new float[n * T * C], b = new float[n * T * C];
        Augment one = new Augment(tc, d);
        one.fill(d, identity(n), 0, n, 4, 2, 1f, a);
        one.fill(d, identity(n), 0, n, 0, 0, 1f, b); // another batch in between leaves no state behind
        new Augment(tc, d).fill(d, identity(n), 0, n, 4, 2, 1f, b);
        assertArrayEquals(a, b, "same seed, epoch and batch");
        one.fill(d, identity(n), 0, n, 5, 2, 1f, b);
        assertFalse(Arrays.equals(a, b), "another epoch");
        one.fill(d, identity(n), 0, n, 4, 3, 1f, b);
        assertFalse(Arrays.equals(a, b), "another batch");
        TrainConfig other = tc.copy();
        other.seed = 43;
        new Augment(other, d).fill(d, identity(n), 0, n, 4, 2, 1f, b);
        assertFalse(Arrays.equals(a, b), "another seed");
        assertEquals(tc.augShift, tc.copy().augShift);
        assertEquals(tc.augBlend, tc.copy().augBlend);
        assertEquals(tc.augNoise, tc.copy().augNoise);
        assertEquals(tc.augFreqMask, tc.copy().augFreqMask);
        assertEquals(tc.augTimeMask, tc.copy().augTimeMask);
    }

    @Test
    void badSettingsAreRefusedByName() {
        String[][] bad = {{"augShift", "-1"}, {"augBlend", "1.5"}, {"augBlend", "-0.1"}, {"augNoise", "NaN"}, {"augNoise", "-0.1"},
                {"augNoise", "Infinity"}, {"augFreqMask", "-1"}, {"augTimeMask", "-2"}};
        for (String[] b : bad) {
            TrainConfig tc = new TrainConfig();
            set(tc, b[0], b[1]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, tc::validate, b[0] + " " + b[1]);
            assertTrue(e.getMessage().startsWith(flag(b[0])), e.getMessage() + " should name " + flag(b[0]));
        }
        // bounds set by the data's shape (80 frames × 40 channels here) are checked when the data are known
        Dataset d = new Dataset(new float[2 * 80 * 40], new int[2], 80, 40, 1, null);
        String[][] tooWide = {{"augShift", "80"}, {"augFreqMask", "41"}, {"augTimeMask", "81"}};
        for (String[] b : tooWide) {
            TrainConfig tc = new TrainConfig();
            set(tc, b[0], b[1]);
            tc.validate();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Augment.of(tc, d), b[0] + " " + b[1]);
            assertTrue(e.getMessage().startsWith(flag(b[0]) + " " + b[1]), e.getMessage());
        }
        TrainConfig fits = new TrainConfig();
        fits.augShift = 79;
        fits.augFreqMask = 40;
        fits.augTimeMask = 80;
        assertTrue(Augment.of(fits, d) != null, "the largest settings that fit are accepted");
    }

    private static void set(TrainConfig tc, String field, String v) {
        switch (field) {
            case "augShift": tc.augShift = Integer.parseInt(v); break;
            case "augBlend": tc.augBlend = Double.parseDouble(v); break;
            case "augNoise": tc.augNoise = Double.parseDouble(v); break;
            case "augFreqMask": tc.augFreqMask = Integer.parseInt(v); break;
            default: tc.augTimeMask = Integer.parseInt(v);
        }
    }

    /** augFreqMask → --aug-freq-mask. */
    private static String flag(String field) {
        return "--aug-" + field.substring(3).replaceAll("([A-Z])", "-$1").toLowerCase().substring(1);
    }
}
