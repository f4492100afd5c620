package org.myelin.network;

import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The phases of {@link Network#runPhase}, run in order on new inputs, are the full step on those inputs. */
class PhaseTest {
    @Test
    void phasesInOrderAreTheStep() {
        NetConfig cfg = NetConfig.builder().inputs(5).hidden(13).outputs(4).steps(10).maxDelay(3).sigma(1.5f).build();
        SplittableRandom r = new SplittableRandom(9);
        int B = 16;
        float[] w1 = new float[cfg.hidden(0) * cfg.inputs], d1 = new float[w1.length];
        float[] w2 = new float[cfg.outputs * cfg.hidden(0)], d2 = new float[w2.length];
        for (int q = 0; q < w1.length; q++) { w1[q] = (float) r.nextGaussian(); d1[q] = (float) (r.nextDouble() * 3); }
        for (int q = 0; q < w2.length; q++) { w2[q] = (float) r.nextGaussian(); d2[q] = (float) (r.nextDouble() * 3); }
        float[][] x = new float[2][B * cfg.steps * cfg.inputs];
        for (float[] xx : x) for (int q = 0; q < xx.length; q++) xx[q] = (float) (r.nextGaussian() * 2);
        int[][] y = new int[2][B];
        for (int[] yy : y) for (int b = 0; b < B; b++) yy[b] = r.nextInt(cfg.outputs);
        float[] mask = new float[cfg.hidden(0) * B];
        for (int q = 0; q < mask.length; q++) mask[q] = r.nextDouble() < 0.4 ? 0f : 1f / 0.6f;
        float[][] expected = null;
        for (int way = 0; way < 2; way++) {
            try (Parallel par = new Parallel(2)) {
                float[] g = new float[cfg.hidden(0)], be = new float[cfg.hidden(0)], rm = new float[cfg.hidden(0)], rv = new float[cfg.hidden(0)];
                java.util.Arrays.fill(g, 1f);
                java.util.Arrays.fill(rv, 1f);
                Network net = new Network(cfg, CsrSynapses.fromDense(5, 13, 3, w1, d1), new DenseSynapses(13, 4, 3, w2, d2),
                        g, be, rm, rv, KernelProvider.get(), par);
                Gradients gr = new Gradients(net, true);
                if (way == 0) {
                    assertThrows(IllegalStateException.class, () -> net.runPhase(Network.Phase.INPUT, x[1], mask, y[1], gr));
                    net.forward(x[1], B, true, mask);
                    net.backward(y[1], gr);
                } else {
                    net.forward(x[0], B, true, mask);
                    net.backward(y[0], gr);
                    // running statistics advance once per forward: undo the first step's update
                    java.util.Arrays.fill(rm, 0f);
                    java.util.Arrays.fill(rv, 1f);
                    for (Network.Phase p : Network.Phase.values()) net.runPhase(p, x[1], mask, y[1], gr);
                }
                float[][] now = {net.spikes(), net.logits(), gr.synapses(0).w, gr.synapses(0).d, gr.readout().w, gr.readout().d, gr.bnGamma(0), gr.bnBeta(0), gr.synapses(0).wDense, gr.readout().wDense, rm.clone(), rv.clone()};
                if (expected == null) expected = now;
                else for (int k = 0; k < now.length; k++) assertArrayEquals(expected[k], now[k], "tensor " + k);
            }
        }
    }
}
