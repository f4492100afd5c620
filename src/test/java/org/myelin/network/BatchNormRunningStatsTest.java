package org.myelin.network;

import org.myelin.kernel.KernelProvider;
import org.myelin.kernel.Parallel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Running statistics follow PyTorch's update (momentum 0.1, unbiased variance) and stay valid for
 * a hidden neuron without input synapses (zero batch variance), as sparse and rewired networks
 * have: the running variance must decay towards 0, never below it.
 */
class BatchNormRunningStatsTest {
    @Test
    void runningVarianceOfASilentNeuronNeverGoesNegative() {
        NetConfig cfg = NetConfig.builder().inputs(3).hidden(2).outputs(2).steps(5).maxDelay(1).delayMode(DelayMode.INT).build();
        // hidden neuron 0 has no input synapse; neuron 1 has one, from input 0, delay 0
        float[] w1 = {0, 0, 0, 0.5f, 0, 0};
        float[] d1 = new float[6];
        float[] w2 = {1, 1, 1, 1};
        float[] d2 = new float[4];
        float[] g = {1, 1}, b = {0, 0}, rm = new float[2], rv = {1, 1};
        SplittableRandom r = new SplittableRandom(5);
        int B = 4;
        float[] x = new float[B * 5 * 3];
        try (Parallel par = new Parallel(1)) {
            Network net = new Network(cfg, CsrSynapses.fromDense(3, 2, 1, w1, d1), CsrSynapses.fromDense(2, 2, 1, w2, d2),
                    g, b, rm, rv, KernelProvider.get(), par);
            double expected1Mean = 0;
            for (int step = 0; step < 400; step++) {
                for (int q = 0; q < x.length; q++) x[q] = (float) r.nextGaussian();
                net.forward(x, B, true, null);
                assertTrue(rv[0] >= 0f, "running variance of the silent neuron went negative at step " + step + ": " + rv[0]);
                assertEquals(0f, rm[0], 0f, "a silent neuron has mean 0");
                // neuron 1's batch mean, computed here from its definition
                double m = 0;
                for (int bb = 0; bb < B; bb++) for (int t = 0; t < 5; t++) m += 0.5 * x[(bb * 5 + t) * 3];
                m /= B * 5;
                expected1Mean = 0.9 * expected1Mean + 0.1 * m;
            }
            assertEquals(expected1Mean, rm[1], 1e-5, "running mean follows (1 − 0.1)·old + 0.1·batch mean");
            assertTrue(rv[0] < 1e-12, "the silent neuron's running variance decays towards 0: " + Arrays.toString(rv));
        }
    }
}
