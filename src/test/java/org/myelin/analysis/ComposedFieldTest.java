package org.myelin.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The receptive field of a deeper network ({@link ReceptiveField#composed}) against a brute-force
 * sum over every path of tiny networks of 2 and 3 hidden layers, and equal to the paper's one-layer
 * field for one hidden layer. The two sum the same double products in different orders; each
 * cell is a sum of at most a few hundred products of order 1, so they agree to 1e-12 before the
 * final float rounding, and we allow one float32 rounding step (6e-8 relative of the field's
 * largest magnitude, plus 1e-12).
 */
class ComposedFieldTest {
    static float[][] layer(SplittableRandom r, int pre, int post, int td, boolean delays) {
        float[] w = new float[post * pre], d = new float[w.length];
        for (int q = 0; q < w.length; q++) {
            w[q] = r.nextDouble() < 0.3 ? 0f : (float) r.nextGaussian();
            d[q] = delays ? (float) (r.nextDouble() * td) : 0f;
        }
        return new float[][] {w, d};
    }

    @Test
    void matchesTheSumOverEveryPath() {
        int td = 3;
        for (int[] widths : new int[][] {{3, 4, 5, 2}, {2, 3, 4, 3, 2}}) {
            SplittableRandom r = new SplittableRandom(widths.length);
            int S = widths.length - 1;
            float[][] w = new float[S][], d = new float[S][];
            for (int s = 0; s < S; s++) {
                float[][] l = layer(r, widths[s], widths[s + 1], td, true);
                w[s] = l[0];
                d[s] = l[1];
            }
            int width = S * td + 1;
            for (int k = 0; k < widths[S]; k++) {
                double[] brute = new double[widths[0] * width];
                paths(widths, w, d, k, S - 1, k, 1.0, 0, brute, width);
                float[] got = ReceptiveField.composed(td, widths, w, d, k);
                double max = 0;
                for (double v : brute) max = Math.max(max, Math.abs(v));
                assertTrue(max > 0, "the field should not be empty");
                for (int q = 0; q < brute.length; q++) assertEquals(brute[q], got[q], 6e-8 * max + 1e-12, "class " + k + " cell " + q);
            }
        }
    }

    /** Walks every path backwards from neuron i of layer s + 1, with the product and delay so far. */
    private static void paths(int[] widths, float[][] w, float[][] d, int k, int s, int i, double prod, int delay, double[] out, int width) {
        int pre = widths[s];
        for (int j = 0; j < pre; j++) {
            float v = w[s][i * pre + j];
            if (v == 0f) continue;
            int dd = (int) Math.rint(d[s][i * pre + j]);
            if (s == 0) out[j * width + delay + dd] += (v > 0 ? 1 : -1) * prod;
            else paths(widths, w, d, k, s - 1, j, prod * v, delay + dd, out, width);
        }
    }

    @Test
    void oneHiddenLayerIsThePapersField() {
        SplittableRandom r = new SplittableRandom(3);
        int nIn = 5, nH = 7, nOut = 3, td = 4;
        float[][] l1 = layer(r, nIn, nH, td, true), l2 = layer(r, nH, nOut, td, true);
        for (int k = 0; k < nOut; k++) {
            assertArrayEquals(ReceptiveField.compute(nIn, nH, nOut, td, l1[0], l1[1], l2[0], l2[1], k),
                    ReceptiveField.composed(td, new int[] {nIn, nH, nOut}, new float[][] {l1[0], l2[0]}, new float[][] {l1[1], l2[1]}, k));
        }
        assertThrows(IllegalArgumentException.class, () -> ReceptiveField.composed(td, new int[] {nIn, nH, nOut}, new float[][] {l1[0], l2[0]},
                new float[][] {l1[1], new float[3]}, 0));
    }
}
