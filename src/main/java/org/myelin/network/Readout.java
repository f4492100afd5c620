package org.myelin.network;

import java.util.Locale;

/**
 * How the readout membrane v[t] becomes logits (docs/MODEL.md), and the one softmax and argmax that
 * training, evaluation and the engine share (so their results agree to the bit by construction).
 */
public enum Readout {
    /** logits_k = Σ_t v_k[t] (the paper's). */
    VSUM,
    /** logits_k = Σ_t softmax(v[t])_k (the authors' code). */
    SOFTMAXSUM;

    public static Readout parse(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "vsum": return VSUM;
            case "softmaxsum": return SOFTMAXSUM;
            default: throw new IllegalArgumentException("readout must be vsum or softmaxsum, got '" + s + "'");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * softmax of n values {@code v[off + k·stride]}, k = 0..n−1, into {@code e[0, n)}: exp(v_k − max)
     * in double, summed in ascending k, each divided by the sum. Allocates nothing.
     */
    public static void softmax(float[] v, int off, int stride, int n, double[] e) {
        softmax(v, off, stride, n, 1.0, e);
    }

    /**
     * softmax of the n values scaled by {@code beta} (the inverse of a calibration temperature):
     * exp(β·(v_k − max)) in double, summed in ascending k, each divided by the sum; β = 1 gives the
     * bits of the unscaled softmax. Allocates nothing.
     */
    public static void softmax(float[] v, int off, int stride, int n, double beta, double[] e) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) mx = Math.max(mx, v[off + k * stride]);
        double z = 0;
        for (int k = 0; k < n; k++) {
            e[k] = Math.exp(beta * (v[off + k * stride] - mx));
            z += e[k];
        }
        for (int k = 0; k < n; k++) e[k] /= z;
    }

    /** Index of the largest of n values {@code v[off + k·stride]} (the first on ties), as every prediction is made. */
    public static int argmax(float[] v, int off, int stride, int n) {
        int best = 0;
        for (int k = 1; k < n; k++) if (v[off + k * stride] > v[off + best * stride]) best = k;
        return best;
    }

    /** {@link #argmax(float[], int, int, int)} of a whole array. */
    public static int argmax(float[] v) {
        return argmax(v, 0, 1, v.length);
    }
}
