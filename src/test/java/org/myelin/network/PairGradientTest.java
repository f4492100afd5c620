package org.myelin.network;

import org.myelin.kernel.KernelOps;
import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * RigL's sampled signal: {@link Network#pairWeightGradient} on a list of pairs equals the dense
 * gradient ({@link Gradients#w1Dense}, {@link Gradients#w2Dense}) on those pairs, for present and
 * dormant pairs, CSR and dense layers, every delay mode. The scalar kernels form both from the same
 * float correlations in the same order, so they agree bit for bit; the vector kernels sum the same
 * T·B products in a different order (float32, ≤ 2^-24 per addition over T·B = 512 terms of
 * magnitude ≤ max |term|), bounded here by 1e-4 of the layer's largest gradient entry.
 */
class PairGradientTest {
    @Test
    void pairGradientsEqualTheDenseGradientOnThosePairs() {
        List<KernelOps> impls = new ArrayList<>();
        impls.add(KernelProvider.scalar());
        if (KernelProvider.vectorAvailable()) impls.add(KernelProvider.vector());
        for (KernelOps ops : impls) {
            for (DelayMode mode : DelayMode.values()) {
                for (boolean csr : new boolean[] {true, false}) {
                    check(ops, mode, csr);
                }
            }
        }
    }

    private static void check(KernelOps ops, DelayMode mode, boolean csr) {
        NetConfig cfg = NetConfig.builder().inputs(7).hidden(19).outputs(5).steps(16).maxDelay(9).sigma(2.5f).delayMode(mode).build();
        SplittableRandom r = new SplittableRandom(11);
        int B = 32;
        float[] x = new float[B * cfg.steps * cfg.inputs];
        for (int q = 0; q < x.length; q++) x[q] = (float) (r.nextGaussian() * 2);
        float[] w1 = new float[cfg.hidden(0) * cfg.inputs], d1 = new float[w1.length];
        float[] w2 = new float[cfg.outputs * cfg.hidden(0)], d2 = new float[w2.length];
        for (int q = 0; q < w1.length; q++) { w1[q] = r.nextDouble() < 0.6 ? 0 : (float) r.nextGaussian(); d1[q] = delay(r, mode, 9); }
        for (int q = 0; q < w2.length; q++) { w2[q] = r.nextDouble() < 0.6 ? 0 : (float) r.nextGaussian(); d2[q] = delay(r, mode, 9); }
        int[] y = new int[B];
        for (int b = 0; b < B; b++) y[b] = r.nextInt(cfg.outputs);
        float[] mask = new float[cfg.hidden(0) * B];
        for (int q = 0; q < mask.length; q++) mask[q] = r.nextDouble() < 0.3 ? 0f : 1f / 0.7f;
        try (Parallel par = new Parallel(2)) {
            float[] g = new float[cfg.hidden(0)], be = new float[cfg.hidden(0)], rm = new float[cfg.hidden(0)], rv = new float[cfg.hidden(0)];
            java.util.Arrays.fill(g, 1f);
            java.util.Arrays.fill(rv, 1f);
            SynapseLayer l1 = csr ? CsrSynapses.fromDense(7, 19, 9, w1, d1) : new DenseSynapses(7, 19, 9, w1, d1);
            SynapseLayer l2 = csr ? CsrSynapses.fromDense(19, 5, 9, w2, d2) : new DenseSynapses(19, 5, 9, w2, d2);
            Network net = new Network(cfg, l1, l2, g, be, rm, rv, ops, par);
            net.forward(x, B, true, mask);
            Gradients gr = new Gradients(net, true);
            net.backward(y, gr);
            String where = ops.name() + " " + mode + " " + (csr ? "csr" : "dense");
            compare(net, 1, gr.synapses(0).wDense, w1, r, where);
            compare(net, 2, gr.readout().wDense, w2, r, where);
        }
    }

    private static float delay(SplittableRandom r, DelayMode mode, int td) {
        double d = r.nextDouble() * td;
        return mode == DelayMode.INT ? (float) Math.rint(d) : (float) d;
    }

    private static void compare(Network net, int layer, float[] dense, float[] w, SplittableRandom r, String where) {
        // every pair, in a shuffled order, then a short list from the middle
        int[] pairs = org.myelin.data.Dataset.permutation(r, dense.length);
        float[] out = new float[pairs.length];
        net.pairWeightGradient(layer, pairs, pairs.length, out);
        double scale = 0;
        for (float v : dense) scale = Math.max(scale, Math.abs(v));
        assertTrue(scale > 0, where + ": layer " + layer + " has a gradient");
        boolean exact = net.ops().name().equals("scalar");
        int dormant = 0;
        for (int c = 0; c < pairs.length; c++) {
            int q = pairs[c];
            if (w[q] == 0f) dormant++;
            String at = where + ", layer " + layer + ", pair " + q + (w[q] == 0f ? " (dormant)" : "");
            if (exact) assertEquals(dense[q], out[c], 0f, at);
            else assertEquals(dense[q], out[c], 1e-4 * scale, at);
        }
        assertTrue(dormant > 0, where + ": the list has dormant pairs");
        float[] few = new float[3];
        net.pairWeightGradient(layer, new int[] {pairs[5], pairs[1], pairs[5]}, 3, few);
        assertEquals(out[5], few[0], 0f, where + ": a pair's gradient does not depend on the list");
        assertEquals(out[1], few[1], 0f, where);
        assertEquals(out[5], few[2], 0f, where);
        assertThrows(IllegalArgumentException.class, () -> net.pairWeightGradient(layer, new int[] {dense.length}, 1, new float[1]));
    }
}
