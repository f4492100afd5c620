package org.myelin.structure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.myelin.network.CsrSynapses;
import org.myelin.testing.SteadyState;

class RewiringTest {
    static final int TD = 5;

    /** A layer over the given pairs, magnitudes 0.5, stored delays p mod (Td+1) − 0.25 clamped at 0. */
    static CsrSynapses layer(int pre, int post, Signs signs, int[] pairs) {
        int n = pre * post;
        float[] mags = new float[n], pd = new float[n];
        Arrays.fill(mags, 0.5f);
        for (int p = 0; p < n; p++) pd[p] = Math.max(0f, p % (TD + 1) - 0.25f);
        return SparseInit.build(pre, post, TD, signs, pairs, mags, pd);
    }

    static int[] pairsOf(CsrSynapses l) {
        boolean[] b = RewiringFuzzTest.presentPairs(l);
        return java.util.stream.IntStream.range(0, b.length).filter(p -> b[p]).toArray();
    }

    /** Pruning 2 fixed synapses of a fresh layer many times: which 2 pairs come back is uniform over all subsets. */
    static void chiSquareOfSubsets(int pre, int post, int[] pairs, double quantile999) {
        int n = pre * post, k = pairs.length, r = 2, dormant = n - k + r;
        Signs signs = Signs.perPair(pre, post, 4);
        SplittableRandom rng = new SplittableRandom(77);
        Map<Long, Integer> counts = new HashMap<>();
        int trials = 20000;
        for (int t = 0; t < trials; t++) {
            CsrSynapses l = layer(pre, post, signs, pairs);
            float[] theta = SparseInit.theta(l, signs);
            theta[0] = -1f;
            theta[k - 1] = 0f;
            Rewiring rw = new Rewiring(l, signs, k, Rewiring.Mode.DEEPR, rng);
            assertEquals(2, rw.update(theta, null, null));
            boolean[] b = RewiringFuzzTest.presentPairs(l);
            long mask = 0;
            for (int p = 0; p < n; p++) if (b[p] && Arrays.binarySearch(pairs, p) < 0) mask |= 1L << p;
            // pairs pruned and regrown at once are new too: theta is 1e-12 there
            int[] rowPtr = l.rowPtr();
            for (int j = 0; j < pre; j++) {
                for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) if (theta[s] == Rewiring.NEW_THETA) mask |= 1L << (l.targets()[s] * pre + j);
            }
            assertEquals(2, Long.bitCount(mask));
            counts.merge(mask, 1, Integer::sum);
        }
        int subsets = dormant * (dormant - 1) / 2;
        assertEquals(subsets, counts.size(), "every pair of dormant pairs (just-pruned ones included) must occur");
        double expect = (double) trials / subsets, chi = 0;
        for (int c : counts.values()) chi += (c - expect) * (c - expect) / expect;
        assertTrue(chi < quantile999, "chi-square " + chi + " ≥ " + quantile999 + " (0.999 quantile, " + (subsets - 1) + " dof)");
    }

    @Test
    void deepRIsUniformWithManyDormantPairs() {
        // 2×3 layer, 3 synapses, 2 pruned: 5 dormant pairs, 10 subsets (rejection-sampling branch)
        chiSquareOfSubsets(2, 3, new int[] {0, 2, 3}, 27.88);
    }

    @Test
    void deepRIsUniformWithFewDormantPairs() {
        // 4×4 layer, 14 synapses, 2 pruned: 4 dormant pairs, 6 subsets (enumeration branch)
        int[] pairs = new int[14];
        for (int m = 0, p = 0; p < 16; p++) if (p != 5 && p != 10) pairs[m++] = p;
        chiSquareOfSubsets(4, 4, pairs, 20.52);
    }

    /** Runs a fixed sequence of updates; returns the final (targets, delays, θ) as one float list. */
    static float[] run(long rngSeed, Rewiring.Mode mode) {
        int pre = 8, post = 9, k = 20;
        Signs signs = Signs.dale(pre, post, 1);
        CsrSynapses l = layer(pre, post, signs, SparseInit.randomPairs(pre, post, k, new SplittableRandom(2)));
        float[] theta = SparseInit.theta(l, signs);
        float[] c = new float[k];
        Rewiring rw = new Rewiring(l, signs, k, mode, new SplittableRandom(rngSeed));
        SplittableRandom t = new SplittableRandom(3);
        float[] g = new float[pre * post];
        for (int step = 0; step < 200; step++) {
            for (int s = 0; s < k; s++) theta[s] = t.nextInt(5) == 0 ? -1f : 0.1f + s;
            for (int p = 0; p < g.length; p++) g[p] = t.nextFloat() - 0.5f;
            rw.update(theta, new float[][] {c}, g);
        }
        float[] out = new float[3 * k];
        for (int s = 0; s < k; s++) {
            out[s] = l.targets()[s];
            out[k + s] = l.delays()[s];
            out[2 * k + s] = theta[s];
        }
        return out;
    }

    @Test
    void deterministicForASeed() {
        assertArrayEquals(run(5, Rewiring.Mode.DEEPR), run(5, Rewiring.Mode.DEEPR));
        assertFalse(Arrays.equals(run(5, Rewiring.Mode.DEEPR), run(6, Rewiring.Mode.DEEPR)), "another seed, another structure");
        assertArrayEquals(run(5, Rewiring.Mode.RIGL), run(6, Rewiring.Mode.RIGL), "RigL every step uses no randomness");
    }

    @Test
    void rigLPicksTheTopKOfALargerLayer() {
        int pre = 40, post = 64, n = pre * post, k = 320;
        for (boolean dale : new boolean[] {true, false}) {
            Signs signs = Signs.random(dale, pre, post, 9);
            CsrSynapses l = layer(pre, post, signs, SparseInit.randomPairs(pre, post, k, new SplittableRandom(1)));
            float[] theta = SparseInit.theta(l, signs);
            Rewiring rw = new Rewiring(l, signs, k, Rewiring.Mode.RIGL, new SplittableRandom(1));
            SplittableRandom t = new SplittableRandom(2);
            float[] g = new float[n];
            for (int step = 0; step < 20; step++) {
                boolean[] before = RewiringFuzzTest.presentPairs(l);
                float[] thetaByPair = new float[n];
                int[] rowPtr = l.rowPtr();
                for (int j = 0; j < pre; j++) {
                    for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) {
                        theta[s] = t.nextInt(3) == 0 ? -t.nextFloat() : t.nextFloat() + 0.01f;
                        thetaByPair[l.targets()[s] * pre + j] = theta[s];
                    }
                }
                for (int p = 0; p < n; p++) g[p] = (float) t.nextGaussian();
                int r = rw.update(theta, null, g);
                assertTrue(r > 50);
                int[] expect = RewiringFuzzTest.bruteForceTopK(before, thetaByPair, signs, g, pre, post, r);
                boolean[] after = RewiringFuzzTest.presentPairs(l);
                int[] got = new int[r];
                int m = 0;
                for (int p = 0; p < n; p++) if (after[p] && !(before[p] && thetaByPair[p] > 0f)) got[m++] = p;
                assertEquals(r, m);
                assertArrayEquals(expect, got, "step " + step);
            }
        }
    }

    @Test
    void noRemovalLeavesTheStructureAndWritesWeights() {
        int pre = 3, post = 4, k = 5;
        Signs signs = Signs.perPair(pre, post, 2);
        CsrSynapses l = layer(pre, post, signs, new int[] {1, 4, 6, 7, 11});
        int[] targets = l.targets().clone();
        int[] rowPtr = l.rowPtr().clone();
        float[] delays = l.delays().clone();
        float[] theta = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f};
        float[] c = {1, 2, 3, 4, 5};
        for (Rewiring.Mode mode : Rewiring.Mode.values()) {
            Rewiring rw = new Rewiring(l, signs, k, mode, new SplittableRandom(1));
            assertEquals(0, rw.update(theta, new float[][] {c}, new float[pre * post]));
            assertEquals(0, rw.lastRemoved());
            assertEquals(0, rw.lastAdded());
            assertArrayEquals(targets, l.targets());
            assertArrayEquals(rowPtr, l.rowPtr());
            assertArrayEquals(delays, l.delays());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5}, c);
            for (int j = 0; j < pre; j++) {
                for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) assertEquals(signs.sign(targets[s], j) * theta[s], l.weights()[s]);
            }
        }
    }

    @Test
    void everythingPruned() {
        int pre = 4, post = 4, n = 16, k = 8;
        Signs signs = Signs.dale(pre, post, 3);
        for (Rewiring.Mode mode : Rewiring.Mode.values()) {
            CsrSynapses l = layer(pre, post, signs, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
            float[] theta = new float[k];
            Arrays.fill(theta, -0.1f);
            float[] c = new float[k];
            Arrays.fill(c, 9f);
            float[] g = new float[n];
            for (int p = 0; p < n; p++) g[p] = -signs.sign(p / pre, p % pre) * (p % 2 == 0 ? 2f : 1f);  // even pairs best
            Rewiring rw = new Rewiring(l, signs, k, mode, new SplittableRandom(4));
            assertEquals(k, rw.update(theta, new float[][] {c}, g));
            l.validate();
            assertEquals(k, l.size());
            for (int s = 0; s < k; s++) {
                assertEquals(Rewiring.NEW_THETA, theta[s]);
                assertEquals(0f, c[s]);
            }
            if (mode == Rewiring.Mode.RIGL) assertArrayEquals(new int[] {0, 2, 4, 6, 8, 10, 12, 14}, pairsOf(l));
        }
    }

    @Test
    void denseLayerRegrowsWhatItPrunes() {
        int pre = 3, post = 3, n = 9;
        Signs signs = Signs.perPair(pre, post, 5);
        int[] all = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        for (Rewiring.Mode mode : Rewiring.Mode.values()) {
            CsrSynapses l = layer(pre, post, signs, all);
            float[] theta = SparseInit.theta(l, signs);
            float[] c = new float[n];
            Arrays.fill(c, 3f);
            theta[2] = -1f;
            theta[7] = 0f;
            l.delays()[2] = 4.5f;
            Rewiring rw = new Rewiring(l, signs, n, mode, new SplittableRandom(4));
            assertEquals(2, rw.update(theta, new float[][] {c}, new float[n]));
            assertArrayEquals(all, pairsOf(l));
            l.validate();
            for (int s = 0; s < n; s++) {
                boolean reset = s == 2 || s == 7;
                assertEquals(reset ? Rewiring.NEW_THETA : 0.5f, theta[s]);
                assertEquals(reset ? 0f : 3f, c[s]);
            }
            assertEquals(4.5f, l.delays()[2], "a regrown pair keeps its delay");
        }
    }

    @Test
    void aRowEmptiesAndFillsAgain() {
        int pre = 3, post = 4, n = 12, k = 4;
        Signs signs = Signs.dale(pre, post, 8);
        // row 0 holds pairs (i=0..1, j=0) = 0, 3; row 1 holds 1, 4
        CsrSynapses l = layer(pre, post, signs, new int[] {0, 3, 1, 4});
        float[] theta = SparseInit.theta(l, signs);
        float[] c = {10, 11, 12, 13};
        Rewiring rw = new Rewiring(l, signs, k, Rewiring.Mode.RIGL, new SplittableRandom(1));
        float[] g = new float[n];
        for (int p = 0; p < n; p++) if (p % pre == 2) g[p] = -signs.sign(p / pre, 2) * (1 + p);  // row 2 wanted
        theta[0] = -1f;
        theta[1] = -1f;  // all of row 0
        assertEquals(2, rw.update(theta, new float[][] {c}, g));
        l.validate();
        int[] rowPtr = l.rowPtr();
        assertEquals(0, rowPtr[1], "row 0 empty");
        assertEquals(2, rowPtr[2] - rowPtr[1]);
        assertEquals(2, rowPtr[3] - rowPtr[2]);
        assertArrayEquals(new int[] {1, 4, 8, 11}, pairsOf(l));
        assertArrayEquals(new float[] {12, 13, 0, 0}, c);
        // then row 2 and row 1 go, row 0 comes back
        Arrays.fill(g, 0f);
        for (int p = 0; p < n; p++) if (p % pre == 0) g[p] = -signs.sign(p / pre, 0);
        Arrays.fill(theta, -1f);
        assertEquals(4, rw.update(theta, new float[][] {c}, g));
        l.validate();
        assertArrayEquals(new int[] {0, 3, 6, 9}, pairsOf(l));
        assertEquals(4, rowPtr[1]);
        assertEquals(4, rowPtr[3]);
    }

    @Test
    void deferredRemovalLetsASynapseRecover() {
        int pre = 3, post = 4, n = 12, k = 4;
        Signs signs = Signs.dale(pre, post, 8);
        CsrSynapses l = layer(pre, post, signs, new int[] {0, 1, 2, 3});
        float[] theta = SparseInit.theta(l, signs);
        Rewiring rw = new Rewiring(l, signs, k, Rewiring.Mode.RIGL, new SplittableRandom(1), 3, Rewiring.Between.DEFER);
        float[] g = new float[n];
        assertTrue(rw.needsDenseGradient());
        assertEquals(0, rw.update(theta, null, g));
        assertFalse(rw.needsDenseGradient());
        theta[0] = -0.5f;
        theta[1] = -0.5f;
        assertEquals(0, rw.update(theta, null, null));
        assertEquals(0f, l.weights()[0], "dormant but kept: w = 0");
        assertEquals(4, l.size());
        theta[0] = 0.25f;  // recovers before the next RigL update
        assertFalse(rw.needsDenseGradient());
        assertEquals(0, rw.update(theta, null, null));
        assertTrue(rw.needsDenseGradient());
        assertThrows(IllegalArgumentException.class, () -> rw.update(theta, null, null), "a RigL update needs the gradient");
        assertEquals(1, rw.update(theta, null, g));
        assertTrue(rw.isPresent(0, 0));
    }

    @Test
    void rejectsInconsistentInput() {
        int pre = 3, post = 4, n = 12;
        Signs signs = Signs.dale(pre, post, 8);
        CsrSynapses l = layer(pre, post, signs, new int[] {0, 5, 7});
        SplittableRandom rng = new SplittableRandom(1);
        assertThrows(IllegalArgumentException.class, () -> new Rewiring(l, signs, 4, Rewiring.Mode.DEEPR, rng), "budget ≠ size");
        Signs flipped = Signs.ofPresynaptic(post, new float[] {-signs.sign(0, 0), -signs.sign(0, 1), -signs.sign(0, 2)});
        assertThrows(IllegalArgumentException.class, () -> new Rewiring(l, flipped, 3, Rewiring.Mode.DEEPR, rng), "weights against their signs");
        Rewiring rw = new Rewiring(l, signs, 3, Rewiring.Mode.RIGL, rng);
        float[] theta = SparseInit.theta(l, signs);
        assertThrows(IllegalArgumentException.class, () -> rw.update(theta, null, null));
        assertThrows(IllegalArgumentException.class, () -> rw.update(theta, null, new float[n - 1]));
        assertThrows(IllegalArgumentException.class, () -> rw.update(theta, new float[][] {new float[2]}, new float[n]));
        assertThrows(IllegalArgumentException.class, () -> rw.update(theta, new float[][] {theta}, new float[n]));
        float[] c = new float[3];
        assertThrows(IllegalArgumentException.class, () -> rw.update(theta, new float[][] {c, c}, new float[n]));
        assertThrows(IllegalArgumentException.class, () -> rw.update(new float[2], null, new float[n]));
        assertEquals(0, rw.updates(), "rejected calls do not count");
    }

    @Test
    void heapSortSortsLikeArraysSort() {
        SplittableRandom r = new SplittableRandom(11);
        for (int n = 0; n <= 300; n += n < 20 ? 1 : 37) {
            for (int bound : new int[] {3, 1 << 20}) { // with and without repeated keys
                int[] a = new int[n + 5], b;
                for (int i = 0; i < a.length; i++) a[i] = r.nextInt(bound);
                b = a.clone();
                Rewiring.heapSort(a, n);
                Arrays.sort(b, 0, n);
                assertArrayEquals(b, a, "n " + n + ", keys below " + bound + " (and the tail past n untouched)");
            }
        }
    }

    /** Runs in a JVM of its own ({@code allocation-*} executions in pom.xml): see {@link SteadyState}. */
    @Test
    @Tag("allocation")
    void steadyStateAllocatesNothingPerStep() {
        SteadyState meter = SteadyState.meter();
        int pre = 256, post = 256, n = pre * post;
        int k = SparseInit.budget(0.875, pre, post);
        for (Rewiring.Mode mode : Rewiring.Mode.values()) {
            Signs signs = Signs.dale(pre, post, 1);
            CsrSynapses l = layer(pre, post, signs, SparseInit.randomPairs(pre, post, k, new SplittableRandom(1)));
            float[] theta = SparseInit.theta(l, signs);
            float[][] comp = {new float[k], new float[k], new float[k], new float[k]};
            float[] g = new float[n];
            SplittableRandom t = new SplittableRandom(2);
            for (int p = 0; p < n; p++) g[p] = (float) t.nextGaussian();
            Rewiring rw = new Rewiring(l, signs, k, mode, new SplittableRandom(3));
            long[] removed = {0};
            // a pass is 20 updates, each making about 1 % of the connections dormant
            Runnable pass = () -> {
                for (int step = 0; step < 20; step++) {
                    for (int s = 0; s < k; s++) theta[s] = t.nextInt(100) == 0 ? -1f : 0.5f;
                    removed[0] += rw.update(theta, comp, g);
                }
            };
            long[] windows = meter.measure(mode.toString(), pass, 3);
            // each pass rewired: ~80 removals an update (1 % of 8,192; at least 50 asked)
            assertTrue(removed[0] > 50 * 20 * (SteadyState.QUIET + 3), mode + ": removed " + removed[0]);
            // a pair-sized array per update would be >= 8 KiB (bit set) ... 256 KiB (int per pair) each time
            SteadyState.assertNothing(mode + " (20 updates a pass)", windows, SteadyState.ONE_OFF);
        }
    }
}
