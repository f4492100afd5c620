package org.myelin.engine;

import java.util.Random;
import org.myelin.network.CsrSynapses;
import org.myelin.network.DelayMode;
import org.myelin.network.NetConfig;
import org.myelin.network.Readout;
import org.myelin.model.Model;

/** Random models and inputs for the engine tests. */
public final class TestModels {
    private TestModels() {}

    /**
     * A random int-delay model: about {@code zeroFrac} of the weights zero, integer delays in [0, Td],
     * and (when {@code bn}) batch norm with non-trivial running statistics.
     */
    public static Model random(long seed, int nIn, int nH, int nOut, int T, int Td, Readout readout, boolean bn, float zeroFrac) {
        Random r = new Random(seed);
        NetConfig cfg = NetConfig.builder().inputs(nIn).hidden(nH).outputs(nOut).steps(T).maxDelay(Td)
                .delayMode(DelayMode.INT).readout(readout).batchNorm(bn).build();
        float[] w1 = new float[nH * nIn], d1 = new float[nH * nIn];
        float[] w2 = new float[nOut * nH], d2 = new float[nOut * nH];
        float b1 = (float) Math.sqrt(6.0 / nIn), b2 = (float) Math.sqrt(6.0 / nH);
        for (int q = 0; q < w1.length; q++) {
            w1[q] = r.nextFloat() < zeroFrac ? 0f : (2 * r.nextFloat() - 1) * b1;
            d1[q] = r.nextInt(Td + 1);
        }
        for (int q = 0; q < w2.length; q++) {
            w2[q] = r.nextFloat() < zeroFrac ? 0f : (2 * r.nextFloat() - 1) * b2;
            d2[q] = r.nextInt(Td + 1);
        }
        float[] g = null, b = null, mu = null, var = null;
        if (bn) {
            g = new float[nH];
            b = new float[nH];
            mu = new float[nH];
            var = new float[nH];
            for (int h = 0; h < nH; h++) {
                g[h] = 0.6f + 0.8f * r.nextFloat();
                b[h] = 0.4f * (2 * r.nextFloat() - 1);
                mu[h] = 0.3f * (2 * r.nextFloat() - 1);
                var[h] = 0.4f + 1.6f * r.nextFloat();
            }
        }
        return new Model(cfg, CsrSynapses.fromDense(nIn, nH, Td, w1, d1), CsrSynapses.fromDense(nH, nOut, Td, w2, d2), g, b, mu, var, null);
    }

    /** B × T × N_in inputs: standard normal values, about a tenth of them exactly zero. */
    static float[] inputs(long seed, int B, int T, int nIn) {
        Random r = new Random(seed);
        float[] x = new float[B * T * nIn];
        for (int q = 0; q < x.length; q++) x[q] = r.nextFloat() < 0.1f ? 0f : (float) r.nextGaussian();
        return x;
    }
}
