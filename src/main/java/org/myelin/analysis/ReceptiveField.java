package org.myelin.analysis;

/**
 * Spatio-temporal receptive field of an output neuron (paper §3.1, Figure 1A; docs/MODEL.md "Analysis").
 *
 * <p>For output class k and every hidden neuron h, a panel (input channel × delay) holds
 * {@code sign(w1[h][j])} at (j, d1[h][j]) for each input synapse that exists ({@code w1[h][j] ≠ 0});
 * the panel is multiplied by {@code w2[k][h]} (the signed, effective hidden-to-output weight) and
 * shifted right by {@code d2[k][h]} along the delay axis; the panels are summed over h. Several
 * synapses landing on the same cell add up. Hidden neurons with {@code w2[k][h] = 0} (pruned)
 * contribute nothing; {@code d2} of such a pair is not looked at.
 *
 * <p>Layouts (flat, row-major, post-synaptic index first):
 * <ul>
 *   <li>{@code w1, d1}: N_h × N_in, element (h, j) at {@code h * nIn + j};</li>
 *   <li>{@code w2, d2}: N_out × N_h, element (k, h) at {@code k * nH + h};</li>
 *   <li>result: N_in × (2·Td + 1), channel-major, cell (j, delay) at {@code j * (2*Td+1) + delay}.</li>
 * </ul>
 *
 * <p>Delays: deployment uses integer delays; non-integer delays are rounded to the nearest integer
 * with ties to even ({@link Math#rint}, as NumPy and PyTorch round). A rounded delay outside
 * [0, Td] is an error.
 */
public final class ReceptiveField {
    private ReceptiveField() {}

    /** Width of the delay axis, 2·Td + 1. */
    public static int width(int maxDelay) {
        return 2 * maxDelay + 1;
    }

    /**
     * The receptive field of output class k.
     *
     * @return float[nIn * (2*maxDelay+1)], channel-major
     */
    public static float[] compute(int nIn, int nH, int nOut, int maxDelay,
                                  float[] w1, float[] d1, float[] w2, float[] d2, int k) {
        check(nIn, nH, nOut, maxDelay, w1, d1, w2, d2);
        if (k < 0 || k >= nOut) throw new IllegalArgumentException("class " + k + " outside 0.." + (nOut - 1));
        int width = width(maxDelay);
        double[] acc = new double[nIn * width];
        for (int h = 0; h < nH; h++) {
            double w = w2[k * nH + h];
            if (w == 0.0) continue;
            int shift = delay(d2[k * nH + h], maxDelay, "d2", k * nH + h);
            int row = h * nIn;
            for (int j = 0; j < nIn; j++) {
                float v = w1[row + j];
                if (v == 0.0f) continue;
                int d = delay(d1[row + j], maxDelay, "d1", row + j);
                acc[j * width + d + shift] += v > 0 ? w : -w;
            }
        }
        float[] out = new float[acc.length];
        for (int i = 0; i < acc.length; i++) out[i] = (float) acc[i];
        return out;
    }

    /** The receptive fields of all output classes, element k being class k's field. */
    public static float[][] computeAll(int nIn, int nH, int nOut, int maxDelay,
                                       float[] w1, float[] d1, float[] w2, float[] d2) {
        float[][] all = new float[nOut][];
        for (int k = 0; k < nOut; k++) all[k] = compute(nIn, nH, nOut, maxDelay, w1, d1, w2, d2, k);
        return all;
    }

    /**
     * The receptive field of output class k of a network of L ≥ 1 hidden layers, the paper's
     * definition composed along paths: every path j → h_1 → … → h_L → k whose synapses all exist
     * adds {@code sign(w_1[h_1][j]) · w_2[h_2][h_1] ⋯ w_L[h_L][h_(L−1)] · w_(L+1)[k][h_L]} at cell
     * (j, d_1 + … + d_(L+1)), the path's total delay: the sign of the input synapse (as the paper
     * takes it) times the signed effective weights of every later synapse on the path. For L = 1
     * this is {@link #compute}. Computed backwards layer by layer (a path sum as a product of
     * matrices over delay-shifted rows), not path by path.
     *
     * @param widths N_in, N_1 … N_L, N_out
     * @param w      per synapse layer s = 0 … L the dense weights, post × pre ({@code w[s][i * pre + j]})
     * @param d      the delays, laid out as {@code w}
     * @return float[N_in · ((L+1)·Td + 1)], channel-major, cell (j, delay) at {@code j * width + delay}
     */
    public static float[] composed(int maxDelay, int[] widths, float[][] w, float[][] d, int k) {
        int S = widths.length - 1;
        if (S < 2 || w.length != S || d.length != S) throw new IllegalArgumentException("need widths of at least 3 layers and one w, d per synapse layer");
        for (int s = 0; s < S; s++) {
            need(w[s], (long) widths[s + 1] * widths[s], "w" + (s + 1));
            need(d[s], (long) widths[s + 1] * widths[s], "d" + (s + 1));
        }
        int nOut = widths[S];
        if (k < 0 || k >= nOut) throw new IllegalArgumentException("class " + k + " outside 0.." + (nOut - 1));
        int width = S * maxDelay + 1;
        // g[i][delay]: the summed weight of every path from neuron i of the current layer to k, by its delay so far
        int n = widths[S - 1];
        double[] g = new double[n * width];
        for (int i = 0; i < n; i++) {
            float v = w[S - 1][k * n + i];
            if (v != 0f) g[i * width + delay(d[S - 1][k * n + i], maxDelay, "d" + S, k * n + i)] += v;
        }
        for (int s = S - 2; s >= 1; s--) {
            int pre = widths[s], post = widths[s + 1];
            double[] h = new double[pre * width];
            for (int i = 0; i < post; i++) {
                for (int j = 0; j < pre; j++) {
                    float v = w[s][i * pre + j];
                    if (v == 0f) continue;
                    int dd = delay(d[s][i * pre + j], maxDelay, "d" + (s + 1), i * pre + j);
                    for (int t = 0; t + dd < width; t++) h[j * width + t + dd] += v * g[i * width + t];
                }
            }
            g = h;
        }
        int nIn = widths[0], n1 = widths[1];
        double[] acc = new double[nIn * width];
        for (int i = 0; i < n1; i++) {
            for (int j = 0; j < nIn; j++) {
                float v = w[0][i * nIn + j];
                if (v == 0f) continue;
                int dd = delay(d[0][i * nIn + j], maxDelay, "d1", i * nIn + j);
                for (int t = 0; t + dd < width; t++) acc[j * width + t + dd] += v > 0 ? g[i * width + t] : -g[i * width + t];
            }
        }
        float[] out = new float[acc.length];
        for (int q = 0; q < acc.length; q++) out[q] = (float) acc[q];
        return out;
    }

    private static int delay(float raw, int maxDelay, String what, int index) {
        if (!Float.isFinite(raw)) throw new IllegalArgumentException(what + "[" + index + "] is not finite: " + raw);
        double r = Math.rint(raw);
        if (r < 0 || r > maxDelay) {
            throw new IllegalArgumentException(what + "[" + index + "] = " + raw + " rounds outside [0, " + maxDelay + "]");
        }
        return (int) r;
    }

    private static void check(int nIn, int nH, int nOut, int maxDelay, float[] w1, float[] d1, float[] w2, float[] d2) {
        if (nIn < 1 || nH < 1 || nOut < 1 || maxDelay < 0) {
            throw new IllegalArgumentException("bad sizes nIn=" + nIn + " nH=" + nH + " nOut=" + nOut + " Td=" + maxDelay);
        }
        need(w1, (long) nH * nIn, "w1");
        need(d1, (long) nH * nIn, "d1");
        need(w2, (long) nOut * nH, "w2");
        need(d2, (long) nOut * nH, "d2");
    }

    private static void need(float[] a, long n, String what) {
        if (a == null || a.length != n) {
            throw new IllegalArgumentException(what + " has " + (a == null ? "no" : String.valueOf(a.length)) + " values, expected " + n);
        }
    }
}
