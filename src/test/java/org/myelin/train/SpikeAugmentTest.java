package org.myelin.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.myelin.data.Dataset;
import org.myelin.network.NetConfig;

/**
 * The spike augmentations (time CutMix, time shift with empty frames, channel shift, thinning):
 * what each does to a known input, reproducible draws for any thread count, and bad values
 * refused by name.
 */
class SpikeAugmentTest {
    private static TrainConfig config(int T, int C) {
        TrainConfig tc = new TrainConfig();
        tc.net = NetConfig.builder().inputs(C).hidden(4).outputs(10).steps(T).maxDelay(2).build();
        tc.seed = 7;
        return tc;
    }

    /** Spike counts: sample s, frame t, channel c holds a count from 1 to 250 (a function of s, t, c; none 0). */
    static int count(int s, int t, int c) {
        return (s * 37 + t * 11 + c * 3) % 250 + 1;
    }

    private static Dataset counts(int n, int T, int C, int classes) {
        byte[][] rows = new byte[n][T * C];
        int[] y = new int[n];
        for (int s = 0; s < n; s++) {
            y[s] = s % classes;
            for (int t = 0; t < T; t++) for (int c = 0; c < C; c++) rows[s][t * C + c] = (byte) count(s, t, c);
        }
        return Dataset.ofCounts(rows, y, T, C, classes, null);
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int k = 0; k < n; k++) p[k] = k;
        return p;
    }

    @Test
    void timeShiftMovesEmptyFramesIn() {
        int T = 6, C = 3;
        float[] in = new float[T * C];
        for (int q = 0; q < in.length; q++) in[q] = q + 1;
        float[] tmp = new float[T * C];
        for (int k = -T; k <= T; k++) {
            float[] x = new float[T * C + 4];
            Arrays.fill(x, -9f);
            System.arraycopy(in, 0, x, 2, T * C);
            Augment.shiftEmpty(x, 2, T, C, k, tmp);
            for (int t = 0; t < T; t++) {
                for (int c = 0; c < C; c++) {
                    float want = t - k >= 0 && t - k < T ? in[(t - k) * C + c] : 0f;
                    assertEquals(want, x[2 + t * C + c], "k " + k + " t " + t + " c " + c);
                }
            }
            assertEquals(-9f, x[1]);
            assertEquals(-9f, x[2 + T * C], "k " + k + ": wrote past the sample");
        }
    }

    @Test
    void channelShiftMovesEmptyChannelsIn() {
        int T = 3, C = 5;
        float[] in = new float[T * C];
        for (int q = 0; q < in.length; q++) in[q] = q + 1;
        float[] tmp = new float[T * C];
        for (int k = -C; k <= C; k++) {
            float[] x = new float[T * C + 2];
            Arrays.fill(x, -9f);
            System.arraycopy(in, 0, x, 1, T * C);
            Augment.shiftChannels(x, 1, T, C, k, tmp);
            for (int t = 0; t < T; t++) {
                for (int c = 0; c < C; c++) {
                    float want = c - k >= 0 && c - k < C ? in[t * C + c - k] : 0f;
                    assertEquals(want, x[1 + t * C + c], "k " + k + " t " + t + " c " + c);
                }
            }
            assertEquals(-9f, x[0]);
            assertEquals(-9f, x[1 + T * C]);
        }
    }

    /** Thinning keeps Binomial(n, 1 − p) of n spikes: whole counts, never more, the mean within 5 σ; zeros stay. */
    @Test
    void thinningDropsEachSpikeWithItsProbability() {
        float[] x = {0f, 1000f, 3f, 0f, 2.5f};
        Augment.Draws r = new Augment.Draws();
        r.reset(99);
        Augment.thin(x, 0, x.length, 0.25, r);
        assertEquals(0f, x[0]);
        assertEquals(0f, x[3]);
        double sd = Math.sqrt(1000 * 0.25 * 0.75); // 13.7
        assertTrue(Math.abs(x[1] - 750) < 5 * sd, "kept " + x[1] + " of 1000 at p 0.25");
        assertEquals(Math.rint(x[1]), x[1], 0f);
        assertTrue(x[2] >= 0 && x[2] <= 3 && x[2] == Math.rint(x[2]), "" + x[2]);
        float frac = x[4] - (float) Math.floor(x[4]);
        assertTrue(x[4] <= 2.5f && (frac == 0f || frac == 0.5f), "whole spikes plus the fraction kept or dropped: " + x[4]);
        // over many cells of one spike, the kept fraction is 1 − p within 5 σ
        float[] ones = new float[20000];
        Arrays.fill(ones, 1f);
        Augment.thin(ones, 0, ones.length, 0.4, r);
        double kept = 0;
        for (float v : ones) kept += v;
        assertEquals(0.6 * ones.length, kept, 5 * Math.sqrt(ones.length * 0.24));
    }

    /**
     * SNN-delays' CutMix with P = 1: sample b is its own frames but for one run of ⌊λ·T⌋ frames,
     * which are sample b + 1's same frames; its target's second label is b + 1's with share λ,
     * so λ·T rounds down to the run's length; the last sample of the batch is left alone.
     */
    @Test
    void cutmixCopiesARunOfTheNextSampleAndMixesTheLabels() {
        int T = 12, C = 3, n = 9, classes = 3;
        Dataset d = counts(n, T, C, classes);
        TrainConfig tc = config(T, C);
        tc.augCutmix = 1;
        float[] x = new float[n * T * C];
        int[] mix = new int[n];
        double[] share = new double[n];
        int[] order = {4, 0, 7, 2, 8, 1, 6, 3, 5};
        int runs = 0;
        for (int epoch = 0; epoch < 6; epoch++) {
            Augment.of(tc, d).fill(d, order, 0, n, epoch, 0, 1f, x, mix, share);
            for (int b = 0; b < n; b++) {
                int s = order[b];
                if (b == n - 1) {
                    assertEquals(0.0, share[b], "the last sample has no partner");
                    assertEquals(d.y[s], mix[b]);
                    for (int t = 0; t < T; t++) for (int c = 0; c < C; c++) assertEquals(count(s, t, c), x[(b * T + t) * C + c], 0f);
                    continue;
                }
                int partner = order[b + 1];
                assertTrue(share[b] >= 0 && share[b] < 1, "λ in [0, 1): " + share[b]);
                assertEquals(d.y[partner], mix[b], "the second label is the next sample's");
                int first = -1, len = 0;
                for (int t = 0; t < T; t++) {
                    boolean own = true, theirs = true;
                    for (int c = 0; c < C; c++) {
                        own &= x[(b * T + t) * C + c] == count(s, t, c);
                        theirs &= x[(b * T + t) * C + c] == count(partner, t, c);
                    }
                    assertTrue(own || theirs, "frame " + t + " of sample " + s + " is its own or its partner's");
                    if (!own) {
                        if (first < 0) first = t;
                        assertEquals(first + len, t, "one contiguous run");
                        len++;
                    }
                }
                assertTrue(len <= (int) Math.floor(share[b] * T), "the run is at most floor(λ·T) frames: " + len + " at λ " + share[b]);
                if (len > 0) runs++;
            }
        }
        assertTrue(runs > 3 * (n - 1), "most samples took a run: " + runs + " of " + 6 * (n - 1));
        // the run has exactly floor(λ·T) frames where the samples' counts differ everywhere (count() differs for every s ≠ s')
        Augment.of(tc, d).fill(d, identity(n), 0, n, 2, 1, 1f, x, mix, share);
        for (int b = 0; b + 1 < n; b++) {
            int len = 0;
            for (int t = 0; t < T; t++) if (x[(b * T + t) * C] != count(b, t, 0)) len++;
            assertEquals((int) Math.floor(share[b] * T), len, "sample " + b + " at λ " + share[b]);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Augment.of(tc, d).fill(d, identity(n), 0, n, 0, 0, 1f, x, null, null));
        assertTrue(e.getMessage().contains("second labels"), e.getMessage());
    }

    /** On spike counts --aug-shift moves empty frames in (not the edge frame), by a k in [−S, S]. */
    @Test
    void theShiftOfSpikeCountsIsEmptyFramesThroughFill() {
        int T = 10, C = 2, n = 6;
        Dataset d = counts(n, T, C, 2);
        TrainConfig tc = config(T, C);
        tc.augShift = 3;
        float[] x = new float[n * T * C];
        Augment.of(tc, d).fill(d, identity(n), 0, n, 1, 2, 1f, x);
        float[] tmp = new float[T * C];
        for (int s = 0; s < n; s++) {
            float[] got = Arrays.copyOfRange(x, s * T * C, (s + 1) * T * C);
            boolean found = false;
            for (int k = -3; k <= 3 && !found; k++) {
                float[] want = new float[T * C];
                d.read(s, want, 0, 1f);
                Augment.shiftEmpty(want, 0, T, C, k, tmp);
                found = Arrays.equals(want, got);
            }
            assertTrue(found, "sample " + s + " is its frames shifted with empty frames moved in");
        }
    }

    @Test
    void aTeamFillsTheSameBitsAsOneThreadAndDrawsRepeat() {
        int T = 10, C = 6, n = 11;
        Dataset d = counts(n, T, C, 2);
        TrainConfig tc = config(T, C);
        tc.augCutmix = 0.5;
        tc.augShift = 2;
        tc.augChannelShift = 2;
        tc.augThin = 0.3;
        tc.augBlend = 0.5;
        float[] alone = new float[n * T * C];
        int[] mixAlone = new int[n];
        double[] shareAlone = new double[n];
        Augment.of(tc, d).fill(d, identity(n), 0, n, 2, 5, 2f, alone, mixAlone, shareAlone);
        try (org.myelin.kernel.Parallel par = new org.myelin.kernel.Parallel(2)) {
            float[] team = new float[n * T * C];
            int[] mixTeam = new int[n];
            double[] shareTeam = new double[n];
            Augment.of(tc, d, null, null, par).fill(d, identity(n), 0, n, 2, 5, 2f, team, mixTeam, shareTeam);
            assertArrayEquals(alone, team);
            assertArrayEquals(mixAlone, mixTeam, "CutMix's second labels");
            assertArrayEquals(shareAlone, shareTeam, "and shares, the same for any thread count");
        }
        float[] again = new float[n * T * C];
        int[] mix = new int[n];
        double[] share = new double[n];
        Augment.of(tc, d).fill(d, identity(n), 0, n, 2, 5, 2f, again, mix, share);
        assertArrayEquals(alone, again, "same seed, epoch, batch: same bits");
        assertArrayEquals(shareAlone, share);
        Augment.of(tc, d).fill(d, identity(n), 0, n, 3, 5, 2f, again, mix, share);
        assertFalse(Arrays.equals(alone, again), "another epoch, other draws");
        // every augmentation changed something: with them all off the batch is the data
        float[] plain = new float[n * T * C];
        for (int s = 0; s < n; s++) d.read(s, plain, s * T * C, 2f);
        assertNotEquals(Arrays.hashCode(plain), Arrays.hashCode(alone));
    }

    @Test
    void badValuesAreRefusedInOneLineByName() {
        String[][] bad = {{"channel", "-1"}, {"cutmix", "1.5"}, {"cutmix", "NaN"}, {"thin", "1"}, {"thin", "-0.1"}};
        for (String[] b : bad) {
            TrainConfig tc = new TrainConfig();
            switch (b[0]) {
                case "channel": tc.augChannelShift = Integer.parseInt(b[1]); break;
                case "cutmix": tc.augCutmix = Double.parseDouble(b[1]); break;
                default: tc.augThin = Double.parseDouble(b[1]);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, tc::validate);
            String flag = b[0].equals("channel") ? "--aug-channel-shift" : "--aug-" + b[0];
            assertTrue(e.getMessage().startsWith(flag) && !e.getMessage().contains("\n"), e.getMessage());
        }
        TrainConfig wide = config(8, 4);
        wide.augChannelShift = 4;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Augment.of(wide, counts(2, 8, 4, 1)));
        assertEquals("--aug-channel-shift 4 must be below the samples' 4 channels", e.getMessage());
        TrainConfig thin = config(8, 4);
        thin.augThin = 0.2;
        e = assertThrows(IllegalArgumentException.class, () -> Augment.of(thin, new Dataset(new float[64], new int[2], 8, 4, 1, null)));
        assertTrue(e.getMessage().startsWith("--aug-thin 0.2 drops spikes"), e.getMessage());
        TrainConfig off = new TrainConfig();
        assertTrue(off.augCutmix == 0 && off.augChannelShift == 0 && off.augThin == 0, "off by default");
        assertFalse(Augment.any(off));
    }
}
