package org.myelin.network;

import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The CSR layer against the dense one on the same weights, at densities where its gauss kernels
 * take the union-block path (dense-ish blocks of four posts), the per-post path, and a mix:
 * logits, the dense dL/dw and each synapse's dL/dw and dL/dd agree. Both are float32 sums of the
 * same products in different orders (over T·B·(Td+1) ≤ 6,400 terms per output), bounded here by
 * 1e-4 of the tensor's largest magnitude.
 */
class CsrDenseAgreementTest {
    @Test
    void csrMatchesDenseAcrossDensities() {
        for (double density : new double[] {1.0, 0.7, 0.3}) {
            for (DelayMode mode : new DelayMode[] {DelayMode.GAUSS, DelayMode.INT}) check(density, mode);
        }
    }

    private static void check(double density, DelayMode mode) {
        NetConfig cfg = NetConfig.builder().inputs(6).hidden(18).outputs(8).steps(16).maxDelay(9).sigma(2.5f).delayMode(mode).build();
        SplittableRandom r = new SplittableRandom(21);
        int B = 32;
        float[] x = new float[B * cfg.steps * cfg.inputs];
        for (int q = 0; q < x.length; q++) x[q] = (float) (r.nextGaussian() * 2);
        float[] w1 = new float[cfg.hidden(0) * cfg.inputs], d1 = new float[w1.length];
        float[] w2 = new float[cfg.outputs * cfg.hidden(0)], d2 = new float[w2.length];
        for (int q = 0; q < w1.length; q++) { w1[q] = r.nextDouble() < density ? (float) r.nextGaussian() : 0f; d1[q] = (float) Math.rint(r.nextDouble() * 8); }
        for (int q = 0; q < w2.length; q++) { w2[q] = r.nextDouble() < density ? (float) r.nextGaussian() : 0f; d2[q] = (float) Math.rint(r.nextDouble() * 9); }
        if (mode == DelayMode.GAUSS) for (int q = 0; q < d1.length; q++) d1[q] += 0.3f;
        int[] y = new int[B];
        for (int b = 0; b < B; b++) y[b] = r.nextInt(cfg.outputs);
        float[][] out = new float[2][];
        float[][] gw1 = new float[2][], gw2 = new float[2][];
        for (int k = 0; k < 2; k++) {
            try (Parallel par = new Parallel(2)) {
                float[] g = new float[cfg.hidden(0)], be = new float[cfg.hidden(0)], rm = new float[cfg.hidden(0)], rv = new float[cfg.hidden(0)];
                java.util.Arrays.fill(g, 1f);
                java.util.Arrays.fill(rv, 1f);
                SynapseLayer l1 = k == 0 ? CsrSynapses.fromDense(6, 18, 9, w1, d1) : new DenseSynapses(6, 18, 9, w1, d1);
                SynapseLayer l2 = k == 0 ? CsrSynapses.fromDense(18, 8, 9, w2, d2) : new DenseSynapses(18, 8, 9, w2, d2);
                Network net = new Network(cfg, l1, l2, g, be, rm, rv, KernelProvider.get(), par);
                net.forward(x, B, true, null);
                Gradients gr = new Gradients(net, true);
                net.backward(y, gr);
                out[k] = net.logits();
                gw1[k] = gr.synapses(0).wDense;
                gw2[k] = gr.readout().wDense;
                if (k == 0) {
                    // per-synapse gradients against the dense gradient at the same pairs
                    CsrSynapses c1 = (CsrSynapses) l1, c2 = (CsrSynapses) l2;
                    perSynapse(c1, gr.synapses(0).w, gr.synapses(0).wDense, "w1 " + density + " " + mode);
                    perSynapse(c2, gr.readout().w, gr.readout().wDense, "w2 " + density + " " + mode);
                }
            }
        }
        close(out[0], out[1], "logits " + density + " " + mode);
        close(gw1[0], gw1[1], "dense dL/dw1 " + density + " " + mode);
        close(gw2[0], gw2[1], "dense dL/dw2 " + density + " " + mode);
    }

    private static void perSynapse(CsrSynapses l, float[] gw, float[] dense, String what) {
        int[] rowPtr = l.rowPtr(), target = l.targets();
        float[] pick = new float[l.size()];
        for (int j = 0; j < l.pre; j++) for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) pick[s] = dense[target[s] * l.pre + j];
        close(pick, java.util.Arrays.copyOf(gw, l.size()), what + " per synapse");
    }

    private static void close(float[] a, float[] b, String what) {
        assertEquals(a.length, b.length, what);
        double scale = 0;
        for (float v : a) scale = Math.max(scale, Math.abs(v));
        assertTrue(scale > 0, what + ": not all zero");
        for (int q = 0; q < a.length; q++) assertEquals(a[q], b[q], 1e-4 * scale, what + " at " + q);
    }
}
