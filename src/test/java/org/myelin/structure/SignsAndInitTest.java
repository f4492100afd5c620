package org.myelin.structure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.myelin.network.CsrSynapses;

class SignsAndInitTest {

    @Test
    void daleSignsArePerPresynapticNeuronAndSeeded() {
        Signs a = Signs.dale(200, 30, 5);
        Signs b = Signs.dale(200, 30, 5);
        Signs c = Signs.dale(200, 30, 6);
        assertTrue(a.isDale());
        int plus = 0;
        for (int j = 0; j < 200; j++) {
            float s = a.sign(0, j);
            assertTrue(s == 1f || s == -1f);
            for (int i = 0; i < 30; i++) assertEquals(s, a.sign(i, j), "Dale: one sign per presynaptic neuron");
            assertEquals(s, b.sign(7, j), "same seed, same signs");
            if (s > 0) plus++;
        }
        assertTrue(plus > 60 && plus < 140, "signs should be balanced: " + plus + " of 200 positive");
        assertFalse(Arrays.equals(a.values(), c.values()), "another seed (another layer) draws another vector");
        assertEquals(200, a.values().length);
    }

    @Test
    void perPairSignsDifferWithinARowAndAreSeeded() {
        Signs a = Signs.perPair(20, 30, 9);
        Signs b = Signs.perPair(20, 30, 9);
        assertFalse(a.isDale());
        assertArrayEquals(a.values(), b.values());
        int mixedRows = 0, plus = 0;
        for (int j = 0; j < 20; j++) {
            boolean pos = false, neg = false;
            for (int i = 0; i < 30; i++) {
                if (a.sign(i, j) > 0) { pos = true; plus++; } else neg = true;
                assertEquals(a.values()[i * 20 + j], a.sign(i, j));
            }
            if (pos && neg) mixedRows++;
        }
        assertEquals(20, mixedRows, "without Dale's law a presynaptic neuron has both signs");
        assertTrue(plus > 240 && plus < 360, plus + " of 600 positive");
        assertEquals(-1f, Signs.ofPairs(2, 1, new float[] {1, -1}).sign(0, 1));
        assertThrows(IllegalArgumentException.class, () -> Signs.ofPresynaptic(3, new float[] {1, 0.5f}));
    }

    @Test
    void budgetIsTheFloorOfTheDensityTimesPairs() {
        assertEquals(1280, SparseInit.budget(0.875, 40, 256));
        assertEquals(10240, SparseInit.budget(0.0, 40, 256));
        assertEquals(0, SparseInit.budget(1.0, 40, 256));
        assertEquals(320, SparseInit.budget(0.96875, 40, 256));
        assertEquals(1, SparseInit.budget(0.9, 2, 5), "0.1 × 10 must be 1 despite binary rounding");
        assertEquals(3, SparseInit.budget(0.5, 7, 1));
        assertEquals(2, SparseInit.budget(0.75, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> SparseInit.budget(1.5, 2, 2));
    }

    @Test
    void randomPairsAreDistinctSortedUniformAndSeeded() {
        int pre = 4, post = 5, n = 20, k = 6;
        int[] counts = new int[n];
        SplittableRandom rng = new SplittableRandom(3);
        int trials = 20000;
        for (int t = 0; t < trials; t++) {
            int[] p = SparseInit.randomPairs(pre, post, k, rng);
            assertEquals(k, p.length);
            for (int m = 1; m < k; m++) assertTrue(p[m] > p[m - 1]);
            for (int q : p) counts[q]++;
        }
        // each pair is chosen with probability k/n; chi-square with n−1 = 19 degrees of freedom,
        // 43.8 is its 0.999 quantile
        double expect = (double) trials * k / n, chi = 0;
        for (int c : counts) chi += (c - expect) * (c - expect) / expect;
        assertTrue(chi < 43.8, "chi-square " + chi);
        assertArrayEquals(SparseInit.randomPairs(9, 9, 40, new SplittableRandom(1)), SparseInit.randomPairs(9, 9, 40, new SplittableRandom(1)));
        assertEquals(81, SparseInit.randomPairs(9, 9, 81, new SplittableRandom(1)).length);
    }

    @Test
    void buildGivesSignedMagnitudesAndStoredDelays() {
        int pre = 6, post = 5, n = 30, td = 9;
        Signs signs = Signs.dale(pre, post, 2);
        float[] mags = new float[n], pd = new float[n];
        SplittableRandom r = new SplittableRandom(4);
        for (int p = 0; p < n; p++) {
            mags[p] = (float) (r.nextDouble() * 2 - 1);  // signed: the absolute value is used
            pd[p] = (float) (r.nextDouble() * td);
        }
        mags[7] = 0f;
        int[] pairs = {0, 7, 8, 13, 29};
        CsrSynapses layer = SparseInit.build(pre, post, td, signs, pairs, mags, pd);
        assertEquals(5, layer.size());
        assertArrayEquals(pd, layer.pairDelays());
        pd[0] = -5;  // the layer keeps its own copy
        assertNotEquals(-5f, layer.pairDelays()[0]);
        float[] w = layer.denseWeights();
        float[] theta = SparseInit.theta(layer, signs);
        for (int p = 0; p < n; p++) {
            boolean listed = Arrays.binarySearch(pairs, p) >= 0;
            if (!listed) {
                assertEquals(0f, w[p]);
                continue;
            }
            float expect = p == 7 ? Rewiring.NEW_THETA : Math.abs(mags[p]);
            assertEquals(signs.sign(p / pre, p % pre) * expect, w[p], "pair " + p);
            assertEquals(layer.pairDelays()[p], layer.denseDelays()[p]);
        }
        for (float t : theta) assertTrue(t > 0);
        assertThrows(IllegalArgumentException.class, () -> SparseInit.build(pre, post, td, signs, new int[] {3, 3}, mags, layer.pairDelays()));
        assertThrows(IllegalArgumentException.class, () -> SparseInit.build(pre, post, td, Signs.dale(5, 6, 1), pairs, mags, layer.pairDelays()));
    }

    @Test
    void randomLayerHoldsTheBudget() {
        int pre = 40, post = 256;
        int k = SparseInit.budget(0.875, pre, post);
        Signs signs = Signs.dale(pre, post, 1);
        float[] mags = new float[pre * post];
        Arrays.fill(mags, 0.3f);
        CsrSynapses layer = SparseInit.random(pre, post, 25, signs, k, mags, new float[pre * post], new SplittableRandom(8));
        assertEquals(1280, layer.size());
        float[] theta = SparseInit.theta(layer, signs);
        for (float t : theta) assertEquals(0.3f, t);
    }

    @Test
    void thetaGradientAddsTheL1Term() {
        int pre = 3, post = 4, n = 12;
        for (Signs signs : new Signs[] {Signs.dale(pre, post, 3), Signs.perPair(pre, post, 3)}) {
            float[] mags = new float[n];
            Arrays.fill(mags, 1f);
            CsrSynapses layer = SparseInit.build(pre, post, 2, signs, new int[] {0, 2, 5, 6, 11}, mags, new float[n]);
            float[] g = {0.5f, -2f, 3f, 0f, -0.25f};
            float[] out = new float[5];
            Rewiring.thetaGradient(layer, signs, g, Rewiring.DEFAULT_L1, out);
            int[] rowPtr = layer.rowPtr();
            for (int j = 0; j < pre; j++) {
                for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) {
                    float sg = signs.sign(layer.targets()[s], j);
                    assertEquals(sg * g[s] + 0.01f, out[s], 0f);
                }
            }
            Rewiring.thetaGradient(layer, signs, g, 0.5f, g);  // in place
            assertEquals(out[1] - 0.01f + 0.5f, g[1], 1e-7f);
        }
    }
}
