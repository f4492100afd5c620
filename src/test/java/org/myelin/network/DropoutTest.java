package org.myelin.network;

import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Dropout scales a hidden neuron's spikes by its mask value for every step of a sample, in the
 * forward and the backward pass. With one sample that is the same network as one whose layer-2
 * weights from that neuron are multiplied by the mask: logits and layer-1 gradients agree, and the
 * layer-2 weight gradient is the folded network's times the mask. Rounding differs by the order of
 * two multiplications, hence the 1e-5 relative tolerance.
 */
class DropoutTest {
    @Test
    void maskEqualsScalingTheOutgoingWeights() {
        NetConfig cfg = NetConfig.builder().inputs(6).hidden(23).outputs(4).steps(15).maxDelay(3).sigma(1.2f).batchNorm(false).build();
        SplittableRandom r = new SplittableRandom(11);
        int nIn = 6, nH = 23, nOut = 4, T = 15;
        float[] w1 = new float[nH * nIn], d1 = new float[w1.length], w2 = new float[nOut * nH], d2 = new float[w2.length];
        for (int q = 0; q < w1.length; q++) { w1[q] = (float) (r.nextGaussian() * 0.9); d1[q] = (float) (r.nextDouble() * 3); }
        for (int q = 0; q < w2.length; q++) { w2[q] = (float) r.nextGaussian(); d2[q] = (float) (r.nextDouble() * 3); }
        float[] x = new float[T * nIn];
        for (int q = 0; q < x.length; q++) x[q] = (float) (r.nextGaussian() * 1.5);
        float[] mask = new float[nH];
        for (int h = 0; h < nH; h++) mask[h] = r.nextDouble() < 0.4 ? 0f : 1f / 0.6f;
        float[] w2f = w2.clone();
        for (int k = 0; k < nOut; k++) for (int h = 0; h < nH; h++) w2f[k * nH + h] *= mask[h];
        int[] y = {2};
        try (Parallel par = new Parallel(2)) {
            Network a = new Network(cfg, new DenseSynapses(nIn, nH, 3, w1, d1), new DenseSynapses(nH, nOut, 3, w2, d2),
                    null, null, null, null, KernelProvider.get(), par);
            Network b = new Network(cfg, new DenseSynapses(nIn, nH, 3, w1, d1), new DenseSynapses(nH, nOut, 3, w2f, d2),
                    null, null, null, null, KernelProvider.get(), par);
            a.forward(x, 1, true, mask);
            b.forward(x, 1, true, null);
            assertTrue(a.spikeCount() > 10, "the test network should spike");
            float[] la = a.logits(), lb = b.logits();
            for (int k = 0; k < nOut; k++) assertEquals(lb[k], la[k], 1e-5 * (1 + Math.abs(lb[k])), "logit " + k);
            Gradients ga = new Gradients(a, false), gb = new Gradients(b, false);
            a.backward(y, ga);
            b.backward(y, gb);
            for (int q = 0; q < w1.length; q++) {
                assertEquals(gb.synapses(0).w[q], ga.synapses(0).w[q], 1e-5 * (1 + Math.abs(gb.synapses(0).w[q])), "grad w1 " + q);
                assertEquals(gb.synapses(0).d[q], ga.synapses(0).d[q], 1e-5 * (1 + Math.abs(gb.synapses(0).d[q])), "grad d1 " + q);
            }
            for (int k = 0; k < nOut; k++) {
                for (int h = 0; h < nH; h++) {
                    int q = k * nH + h;
                    assertEquals(gb.readout().w[q] * mask[h], ga.readout().w[q], 1e-5 * (1 + Math.abs(gb.readout().w[q] * mask[h])), "grad w2 " + q);
                }
            }
        }
    }
}
