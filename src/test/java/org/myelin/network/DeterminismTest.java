package org.myelin.network;

import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The same inputs give the same bits whatever the thread count. Two networks: a half-dense CSR
 * input layer (9 → 21) and a dense output layer; and two CSR layers at density 1 whose posts come
 * in whole blocks of four (9 → 20 → 8), which run as dense layers over their union (column halves
 * forward, 5-row gradient blocks) — the splits that move with the team.
 */
class DeterminismTest {
    @Test
    void threadCountDoesNotChangeBits() {
        // B = 19 runs the kernels' scalar lane tails; B = 32 (a multiple of 8 and 16 lanes) and
        // T = 24 their vector blocks (the tap correlation's 8-step blocks among them)
        for (int B : new int[] {19, 32}) {
            for (DelayMode mode : new DelayMode[] {DelayMode.GAUSS, DelayMode.INT}) {
                check(B, mode, 21, 5, 0.5, false);
                check(B, mode, 20, 8, 1.0, true);
            }
        }
    }

    private static void check(int B, DelayMode mode, int hidden, int outputs, double density1, boolean csr2) {
        NetConfig cfg = NetConfig.builder().inputs(9).hidden(hidden).outputs(outputs).steps(B == 19 ? 12 : 24).maxDelay(4).sigma(1.5f).delayMode(mode).build();
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[B * cfg.steps * cfg.inputs];
        for (int q = 0; q < x.length; q++) x[q] = (float) r.nextGaussian();
        float[] w1 = new float[cfg.hidden(0) * cfg.inputs], d1 = new float[w1.length];
        float[] w2 = new float[cfg.outputs * cfg.hidden(0)], d2 = new float[w2.length];
        for (int q = 0; q < w1.length; q++) { w1[q] = r.nextDouble() >= density1 ? 0 : (float) r.nextGaussian(); d1[q] = (float) (r.nextDouble() * 4); if (mode == DelayMode.INT) d1[q] = (float) Math.rint(d1[q]); }
        for (int q = 0; q < w2.length; q++) { w2[q] = (float) r.nextGaussian(); d2[q] = (float) (r.nextDouble() * 4);
            if (mode == DelayMode.INT) { d2[q] = (float) Math.rint(d2[q]); } }
        int[] y = new int[B];
        for (int b = 0; b < B; b++) y[b] = r.nextInt(cfg.outputs);
        float[][] first = null;
        for (int threads : new int[] {1, 2, 3}) {
            try (Parallel par = new Parallel(threads)) {
                float[] g = new float[cfg.hidden(0)], be = new float[cfg.hidden(0)], rm = new float[cfg.hidden(0)], rv = new float[cfg.hidden(0)];
                java.util.Arrays.fill(g, 1f);
                java.util.Arrays.fill(rv, 1f);
                SynapseLayer l2 = csr2 ? CsrSynapses.fromDense(hidden, outputs, 4, w2, d2) : new DenseSynapses(hidden, outputs, 4, w2, d2);
                Network net = new Network(cfg, CsrSynapses.fromDense(9, hidden, 4, w1, d1), l2,
                        g, be, rm, rv, KernelProvider.get(), par);
                float[] mask = new float[cfg.hidden(0) * B];
                SplittableRandom mr = new SplittableRandom(3);
                for (int q = 0; q < mask.length; q++) mask[q] = mr.nextDouble() < 0.4 ? 0f : 1f / 0.6f;
                net.forward(x, B, true, mask);
                Gradients gr = new Gradients(net, true);
                net.backward(y, gr);
                float[][] now = {net.spikes(), net.logits(), gr.synapses(0).w, gr.synapses(0).d, gr.readout().w, gr.readout().d, gr.bnGamma(0), gr.synapses(0).wDense};
                if (first == null) {
                    first = now;
                    assertTrue(net.spikeCount() > 0, "the test network should spike");
                } else {
                    for (int k = 0; k < now.length; k++) assertArrayEquals(first[k], now[k], "tensor " + k + " with " + threads + " threads, B " + B + ", " + mode + ", " + hidden + " hidden");
                }
            }
        }
    }
}
