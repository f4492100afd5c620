package org.myelin.bench;

import java.util.SplittableRandom;

/** Synthetic inputs shaped like the paper's (B × T × N_in, sample-major, channel innermost). */
final class Inputs {
    private Inputs() {}

    /**
     * Bernoulli spike trains: channel j fires with probability between 2 % and 20 % per step (a
     * seeded per-channel rate), like the binned RawHD cochlea channels. The kernels' work does not
     * depend on the values; batch norm then sets the hidden layer's activity.
     */
    static float[] spikes(int batch, int steps, int inputs, SplittableRandom rnd) {
        double[] rate = new double[inputs];
        for (int j = 0; j < inputs; j++) rate[j] = 0.02 + 0.18 * rnd.nextDouble();
        float[] x = new float[batch * steps * inputs];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < inputs; j++) x[(b * steps + t) * inputs + j] = rnd.nextDouble() < rate[j] ? 1f : 0f;
            }
        }
        return x;
    }

    /** Fraction of non-zero values. */
    static double rate(float[] x) {
        long c = 0;
        for (float v : x) if (v != 0f) c++;
        return (double) c / x.length;
    }
}
