package org.myelin.structure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.myelin.network.CsrSynapses;

/**
 * Thousands of random updates on small layers, each followed by a full check against a shadow model
 * kept by the test: budget, unique pairs, CSR validity, signs, that every per-synapse array moved with
 * its synapse (companions tagged with the pair index), new synapses reset, delays kept per pair,
 * RigL's choice equal to a brute-force full sort, and that no layer array was replaced.
 */
class RewiringFuzzTest {
    static final int TD = 7;

    /** One scenario; {@code steps} updates. */
    static void fuzz(int pre, int post, int k, boolean dale, Rewiring.Mode mode, int interval, Rewiring.Between between, long seed, int steps) {
        int n = pre * post;
        SplittableRandom t = new SplittableRandom(seed);
        Signs signs = Signs.random(dale, pre, post, seed + 1);
        float[] mags = new float[n];
        float[] pd = new float[n];
        for (int p = 0; p < n; p++) {
            mags[p] = 0.05f + t.nextFloat();
            pd[p] = t.nextFloat() * TD;
        }
        CsrSynapses layer = SparseInit.random(pre, post, TD, signs, k, mags, pd, new SplittableRandom(seed + 2));
        float[] theta = SparseInit.theta(layer, signs);
        float[] c0 = new float[k];
        float[] c1 = new float[k];
        float[] stored = pd.clone();          // expected stored delay of every pair
        tag(layer, c0, c1);
        Rewiring rw = new Rewiring(layer, signs, k, mode, new SplittableRandom(seed + 3), interval, between);

        int[] rowPtr = layer.rowPtr();
        int[] targets = layer.targets();
        float[] weights = layer.weights();
        float[] delays = layer.delays();
        float[] pairDelays = layer.pairDelays();
        float[] grad = new float[n];
        float[] thetaByPair = new float[n];
        float[] delayByPair = new float[n];
        long removedSum = 0;
        int rigSteps = 0, changedSteps = 0;
        for (int step = 0; step < steps; step++) {
            // --- the "optimiser": new θ (some ≤ 0), new delays
            int regime = t.nextInt(10);
            double pPrune = regime == 0 ? 0 : regime == 1 ? 1 : regime < 5 ? 0.05 : 0.3;
            boolean[] before = presentPairs(layer);
            for (int j = 0; j < pre; j++) {
                for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) {
                    int p = targets[s] * pre + j;
                    if (t.nextDouble() < pPrune) {
                        int kind = t.nextInt(4);
                        theta[s] = kind == 0 ? 0f : kind == 1 ? -0f : kind == 2 ? Float.NaN : -t.nextFloat();
                    } else if (t.nextInt(3) > 0) {
                        theta[s] = 1e-6f + t.nextFloat();
                    } // else: leave θ as it is (may be 1e-12 from a regrowth, or ≤ 0 kept by DEFER)
                    if (t.nextBoolean()) delays[s] = t.nextFloat() * TD;
                    thetaByPair[p] = theta[s];
                    delayByPair[p] = delays[s];
                    stored[p] = delays[s];
                }
            }
            for (int p = 0; p < n; p++) {
                // small integers: many ties; some −0, some NaN
                int g = t.nextInt(9);
                grad[p] = g == 8 ? (t.nextBoolean() ? Float.NaN : -0f) : g - 4;
            }
            boolean rigl = rw.needsDenseGradient();
            assertEquals(mode == Rewiring.Mode.RIGL && step % interval == 0, rigl, "step " + step);
            boolean defer = mode == Rewiring.Mode.RIGL && !rigl && between == Rewiring.Between.DEFER;
            int expectRemoved = 0;
            if (!defer) {
                for (int p = 0; p < n; p++) if (before[p] && !(thetaByPair[p] > 0f)) expectRemoved++;
            }

            int r = rw.update(theta, new float[][] {c0, c1}, rigl || t.nextBoolean() ? grad : null);

            String at = "seed " + seed + " step " + step;
            assertEquals(expectRemoved, r, at);
            assertEquals(r, rw.lastRemoved(), at);
            assertEquals(r, rw.lastAdded(), at);
            removedSum += r;
            if (rigl) rigSteps++;
            if (r > 0) changedSteps++;
            assertSame(rowPtr, layer.rowPtr(), at);
            assertSame(targets, layer.targets(), at);
            assertSame(weights, layer.weights(), at);
            assertSame(delays, layer.delays(), at);
            assertSame(pairDelays, layer.pairDelays(), at);
            layer.validate();
            assertEquals(k, layer.size(), at);

            boolean[] after = new boolean[n];
            List<Integer> added = new ArrayList<>();
            for (int j = 0; j < pre; j++) {
                for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) {
                    int i = targets[s];
                    int p = i * pre + j;
                    assertFalse(after[p], at + ": pair " + p + " connected twice");
                    after[p] = true;
                    float sg = signs.sign(i, j);
                    if (dale) assertEquals(signs.sign(0, j), sg);
                    boolean kept = before[p] && (defer || thetaByPair[p] > 0f);
                    if (kept) {
                        assertEquals(Float.floatToIntBits(thetaByPair[p]), Float.floatToIntBits(theta[s]), at + ": θ of kept pair " + p);
                        assertEquals(p + 1, c0[s], at + ": companion 0 of kept pair " + p);
                        assertEquals(-(p + 1), c1[s], at + ": companion 1 of kept pair " + p);
                        assertEquals(delayByPair[p], delays[s], at + ": delay of kept pair " + p);
                    } else {
                        added.add(p);
                        assertEquals(Rewiring.NEW_THETA, theta[s], at + ": θ of new pair " + p);
                        assertEquals(0f, c0[s], at);
                        assertEquals(0f, c1[s], at);
                        assertEquals(stored[p], delays[s], at + ": delay of regrown pair " + p);
                    }
                    if (theta[s] > 0f) {
                        assertEquals(sg * theta[s], weights[s], at + ": w = s·θ for pair " + p);
                        assertEquals(sg, Math.signum(weights[s]), at);
                    } else {
                        assertTrue(defer, at + ": θ ≤ 0 left in the layer");
                        assertEquals(0f, weights[s], at + ": deferred synapse must carry w = 0");
                    }
                    if (mode == Rewiring.Mode.RIGL) assertEquals(delays[s], pairDelays[p], at + ": stored delay of present pair " + p);
                }
            }
            for (int p = 0; p < n; p++) {
                assertEquals(after[p], rw.isPresent(p / pre, p % pre), at + ": bit set vs CSR at pair " + p);
                if (!after[p]) assertEquals(stored[p], pairDelays[p], at + ": stored delay of dormant pair " + p);
            }
            assertEquals(r, added.size(), at + ": added count");
            if (rigl && r > 0) {
                int[] expect = bruteForceTopK(before, thetaByPair, signs, grad, pre, post, r);
                int[] got = added.stream().mapToInt(Integer::intValue).sorted().toArray();
                assertArrayEquals(expect, got, at + ": RigL choice");
            }
            tag(layer, c0, c1);
        }
        assertEquals(removedSum, rw.totalRemoved());
        assertEquals(removedSum, rw.totalAdded());
        assertEquals(steps, rw.updates());
        if (k > 0) assertTrue(changedSteps >= steps / 20, "too few structural changes: " + changedSteps);
        if (mode == Rewiring.Mode.RIGL) assertEquals((steps + interval - 1) / interval, rigSteps);
    }

    /** companion 0 = pair + 1, companion 1 = −(pair + 1), for every synapse (new ones become tagged now). */
    static void tag(CsrSynapses layer, float[] c0, float[] c1) {
        int[] rowPtr = layer.rowPtr();
        for (int j = 0; j < layer.pre; j++) {
            for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) {
                int p = layer.targets()[s] * layer.pre + j;
                c0[s] = p + 1;
                c1[s] = -(p + 1);
            }
        }
    }

    static boolean[] presentPairs(CsrSynapses layer) {
        boolean[] b = new boolean[layer.pre * layer.post];
        int[] rowPtr = layer.rowPtr();
        for (int j = 0; j < layer.pre; j++) {
            for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) b[layer.targets()[s] * layer.pre + j] = true;
        }
        return b;
    }

    /** The r pairs that are dormant after pruning with the smallest (s·g, index), by a full sort. */
    static int[] bruteForceTopK(boolean[] before, float[] thetaByPair, Signs signs, float[] grad, int pre, int post, int r) {
        List<Integer> dormant = new ArrayList<>();
        for (int p = 0; p < pre * post; p++) if (!(before[p] && thetaByPair[p] > 0f)) dormant.add(p);
        Integer[] all = dormant.toArray(new Integer[0]);
        Arrays.sort(all, (a, b) -> {
            double sa = key(signs, grad, pre, a), sb = key(signs, grad, pre, b);
            if (sa != sb) return sa < sb ? -1 : 1;
            return Integer.compare(a, b);
        });
        int[] out = new int[r];
        for (int m = 0; m < r; m++) out[m] = all[m];
        Arrays.sort(out);
        return out;
    }

    /** The ranking score: s · g, NaN → +∞ (never preferred), −0 and +0 equal. */
    static double key(Signs signs, float[] grad, int pre, int p) {
        double v = (double) signs.sign(p / pre, p % pre) * grad[p];
        return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
    }

    @Test
    void deepRDale() {
        fuzz(5, 7, 12, true, Rewiring.Mode.DEEPR, 1, Rewiring.Between.RANDOM, 11, 3000);
    }

    @Test
    void deepRPerPairSigns() {
        fuzz(6, 4, 9, false, Rewiring.Mode.DEEPR, 1, Rewiring.Between.RANDOM, 12, 3000);
    }

    @Test
    void deepRNearlyDense() {
        // few dormant pairs: the enumerate-and-shuffle branch of the random choice
        fuzz(5, 7, 33, true, Rewiring.Mode.DEEPR, 1, Rewiring.Between.RANDOM, 13, 2000);
    }

    @Test
    void deepRDense() {
        fuzz(4, 5, 20, false, Rewiring.Mode.DEEPR, 1, Rewiring.Between.RANDOM, 14, 1500);
    }

    @Test
    void deepRSingleSynapseAndSingleRow() {
        fuzz(3, 4, 1, true, Rewiring.Mode.DEEPR, 1, Rewiring.Between.RANDOM, 15, 1500);
        fuzz(1, 9, 4, true, Rewiring.Mode.DEEPR, 1, Rewiring.Between.RANDOM, 16, 1500);
        fuzz(9, 1, 4, false, Rewiring.Mode.DEEPR, 1, Rewiring.Between.RANDOM, 17, 1500);
    }

    @Test
    void emptyBudget() {
        fuzz(3, 3, 0, true, Rewiring.Mode.DEEPR, 1, Rewiring.Between.RANDOM, 18, 50);
        fuzz(3, 3, 0, true, Rewiring.Mode.RIGL, 1, Rewiring.Between.RANDOM, 18, 50);
    }

    @Test
    void rigLEveryStep() {
        fuzz(5, 7, 12, true, Rewiring.Mode.RIGL, 1, Rewiring.Between.RANDOM, 21, 3000);
        fuzz(6, 4, 9, false, Rewiring.Mode.RIGL, 1, Rewiring.Between.RANDOM, 22, 2000);
    }

    @Test
    void rigLNearlyDenseAndDense() {
        fuzz(5, 7, 33, true, Rewiring.Mode.RIGL, 1, Rewiring.Between.RANDOM, 23, 1500);
        fuzz(4, 5, 20, false, Rewiring.Mode.RIGL, 1, Rewiring.Between.RANDOM, 24, 1000);
    }

    @Test
    void rigLIntervalRandomBetween() {
        fuzz(5, 7, 12, true, Rewiring.Mode.RIGL, 4, Rewiring.Between.RANDOM, 31, 2000);
    }

    @Test
    void rigLIntervalDeferred() {
        fuzz(5, 7, 12, false, Rewiring.Mode.RIGL, 3, Rewiring.Between.DEFER, 32, 2000);
        fuzz(4, 5, 20, true, Rewiring.Mode.RIGL, 5, Rewiring.Between.DEFER, 33, 1000);
    }

    @Test
    void rigLLargerLayer() {
        fuzz(23, 31, 180, true, Rewiring.Mode.RIGL, 1, Rewiring.Between.RANDOM, 41, 300);
        fuzz(23, 31, 180, false, Rewiring.Mode.DEEPR, 1, Rewiring.Between.RANDOM, 42, 300);
    }

    @Test
    void harnessCatchesABrokenTag() {
        // the checks must be able to fail: a companion array that is not moved is detected
        try {
            brokenCompanionRun();
        } catch (AssertionError expected) {
            return;
        }
        fail("a companion array left unmoved was not detected");
    }

    private static void brokenCompanionRun() {
        int pre = 5, post = 7, k = 12, n = pre * post;
        Signs signs = Signs.dale(pre, post, 1);
        float[] mags = new float[n];
        Arrays.fill(mags, 0.5f);
        CsrSynapses layer = SparseInit.random(pre, post, TD, signs, k, mags, new float[n], new SplittableRandom(2));
        float[] theta = SparseInit.theta(layer, signs);
        float[] c0 = new float[k], c1 = new float[k];
        tag(layer, c0, c1);
        Rewiring rw = new Rewiring(layer, signs, k, Rewiring.Mode.RIGL, new SplittableRandom(3));
        // the new pair is the dormant one with the largest CSR key, so every kept synapse after the
        // removed first one ends one slot to the left of where it was
        boolean[] present = presentPairs(layer);
        float[] grad = new float[n];
        int last = -1;
        for (int j = pre - 1; j >= 0 && last < 0; j--) {
            for (int i = post - 1; i >= 0 && last < 0; i--) if (!present[i * pre + j]) last = i * pre + j;
        }
        grad[last] = -signs.sign(last / pre, last % pre);
        theta[0] = -1f;
        rw.update(theta, new float[][] {c0}, grad);   // c1 deliberately not passed
        int[] rowPtr = layer.rowPtr();
        for (int j = 0; j < pre; j++) {
            for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) {
                int p = layer.targets()[s] * pre + j;
                if (c0[s] != 0f) assertEquals(-(p + 1), c1[s]);
            }
        }
    }
}
