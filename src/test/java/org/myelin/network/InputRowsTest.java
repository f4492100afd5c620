package org.myelin.network;

import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A layer's input gradient computed block by block of rows on one thread (how the hidden layer's
 * backward pass consumes it) has the bits of the whole gradient split over a team, for CSR layers
 * in every delay mode at densities that take the union-block and the per-row paths, and for the
 * dense layer; the row count (22) is not a multiple of the block.
 */
class InputRowsTest {
    @Test
    void rowBlocksHaveTheBitsOfTheWholeInputGradient() {
        int pre = 22, post = 9, td = 5, steps = 12, lanes = 32, len = steps * lanes;
        SplittableRandom r = new SplittableRandom(31);
        float[] dOut = new float[post * (steps + td) * lanes];
        for (int i = 0; i < post; i++) {
            for (int c = 0; c < steps * lanes; c++) dOut[i * (steps + td) * lanes + c] = (float) r.nextGaussian();
        }
        for (DelayMode mode : DelayMode.values()) {
            for (double density : new double[] {1.0, 0.6, 0.2}) {
                float[] w = new float[post * pre], d = new float[post * pre];
                for (int q = 0; q < w.length; q++) {
                    w[q] = r.nextDouble() < density ? (float) r.nextGaussian() : 0f;
                    d[q] = mode == DelayMode.INT ? (float) Math.rint(r.nextDouble() * td) : (float) (r.nextDouble() * td);
                }
                for (SynapseLayer layer : new SynapseLayer[] {CsrSynapses.fromDense(pre, post, td, w, d), new DenseSynapses(pre, post, td, w, d)}) {
                    String what = layer.getClass().getSimpleName() + " " + mode + " density " + density;
                    float[] whole = new float[pre * len], rows = new float[pre * len];
                    try (Parallel par = new Parallel(3)) {
                        layer.prepare(par, mode, 1.7f, lanes, steps);
                        layer.backwardInput(KernelProvider.get(), par, dOut, whole);
                    }
                    int[] bounds = {0, 4, 16, pre};
                    for (int k = 0; k + 1 < bounds.length; k++) {
                        layer.backwardInputRows(KernelProvider.get(), bounds[k], bounds[k + 1], dOut, rows, bounds[k] * len);
                    }
                    boolean nonZero = false;
                    for (int q = 0; q < whole.length; q++) {
                        assertEquals(Float.floatToRawIntBits(whole[q]), Float.floatToRawIntBits(rows[q]), what + " at " + q);
                        nonZero |= whole[q] != 0f;
                    }
                    assertTrue(nonZero, what + ": the gradient should not be all zero");
                }
            }
        }
    }
}
