package org.myelin.structure;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.myelin.network.CsrSynapses;

/**
 * Building a sparse, sign-constrained layer at the start of training, and the conversions between the
 * effective weights w = s · θ of a {@link CsrSynapses} and the magnitudes θ the optimiser trains.
 *
 * <p>Typical use for a layer pre → post at a given sparsity:
 * <pre>{@code
 * Signs signs = Signs.random(dale, pre, post, signSeed);
 * int k = SparseInit.budget(sparsity, pre, post);
 * CsrSynapses layer = SparseInit.random(pre, post, maxDelay, signs, k, kaimingMagnitudes, pairDelays,
 *         new SplittableRandom(structureSeed));
 * float[] theta = SparseInit.theta(layer, signs);   // per synapse, CSR order, length k
 * Rewiring rewiring = new Rewiring(layer, signs, k, Rewiring.Mode.RIGL, new SplittableRandom(rewireSeed));
 * }</pre>
 */
public final class SparseInit {
    private SparseInit() {}

    /**
     * The synapse budget K = ⌊(1 − sparsity) · pre · post⌋. A relative tolerance of 1e-9 absorbs the
     * rounding of (1 − sparsity) in binary (so 0.9 sparsity of 10 pairs is 1 synapse, not 0).
     */
    public static int budget(double sparsity, int pre, int post) {
        if (!(sparsity >= 0 && sparsity <= 1)) throw new IllegalArgumentException("sparsity " + sparsity + " is outside [0, 1]");
        if (pre <= 0 || post <= 0) throw new IllegalArgumentException("layer size must be positive, got " + pre + " → " + post);
        long n = (long) pre * post;
        double exact = (1 - sparsity) * n;
        long k = (long) Math.floor(exact + 1e-9 * Math.max(1, exact));
        return (int) Math.min(n, Math.max(0, k));
    }

    /**
     * K distinct pairs drawn uniformly at random, as pair indices i·pre + j (i postsynaptic, j presynaptic) in ascending order
     * (a partial Fisher–Yates shuffle of all pairs: O(pre · post), done once).
     */
    public static int[] randomPairs(int pre, int post, int k, SplittableRandom rng) {
        long n = (long) pre * post;
        if (pre <= 0 || post <= 0 || n > Integer.MAX_VALUE) throw new IllegalArgumentException("bad layer size " + pre + " → " + post);
        if (k < 0 || k > n) throw new IllegalArgumentException("budget " + k + " is outside [0, " + n + "]");
        int[] all = new int[(int) n];
        for (int p = 0; p < all.length; p++) all[p] = p;
        for (int m = 0; m < k; m++) {
            int u = m + rng.nextInt(all.length - m);
            int t = all[m];
            all[m] = all[u];
            all[u] = t;
        }
        int[] chosen = Arrays.copyOf(all, k);
        Arrays.sort(chosen);
        return chosen;
    }

    /**
     * A layer with one synapse per listed pair: w = s · θ with θ = |magnitudes[pair]| (raised to
     * {@link Rewiring#NEW_THETA} if it is 0, so that every listed pair is a synapse), delay =
     * {@code pairDelays[pair]}. The layer keeps a copy of {@code pairDelays} as the stored delay of
     * every pair.
     *
     * @param pairs distinct pair indices i·pre + j (i postsynaptic, j presynaptic)
     * @param magnitudes initial magnitudes for every pair, post × pre (e.g. Kaiming-uniform values; the
     *     absolute value is taken); only the listed pairs are read
     * @param pairDelays delay position of every pair, post × pre, each in [0, maxDelay]
     */
    public static CsrSynapses build(int pre, int post, int maxDelay, Signs signs, int[] pairs, float[] magnitudes, float[] pairDelays) {
        checkSigns(signs, pre, post);
        int n = pre * post;
        if (magnitudes.length != n) throw new IllegalArgumentException("magnitudes: expected " + n + " values, got " + magnitudes.length);
        if (pairDelays.length != n) throw new IllegalArgumentException("pair delays: expected " + n + " values, got " + pairDelays.length);
        float[] w = new float[n];
        boolean[] seen = new boolean[n];
        for (int p : pairs) {
            if (p < 0 || p >= n) throw new IllegalArgumentException("pair index " + p + " is outside [0, " + n + ")");
            if (seen[p]) throw new IllegalArgumentException("pair index " + p + " listed twice");
            seen[p] = true;
            float m = Math.abs(magnitudes[p]);
            if (!Float.isFinite(m)) throw new IllegalArgumentException("magnitude of pair " + p + " is not finite");
            w[p] = signs.sign(p / pre, p % pre) * Math.max(m, Rewiring.NEW_THETA);
        }
        return CsrSynapses.fromDense(pre, post, maxDelay, w, pairDelays);
    }

    /** {@link #build} on {@link #randomPairs}{@code (pre, post, k, rng)}. */
    public static CsrSynapses random(int pre, int post, int maxDelay, Signs signs, int k, float[] magnitudes, float[] pairDelays, SplittableRandom rng) {
        return build(pre, post, maxDelay, signs, randomPairs(pre, post, k, rng), magnitudes, pairDelays);
    }

    /** The magnitudes θ = s · w of every synapse, CSR order (a new array of the layer's size). */
    public static float[] theta(CsrSynapses layer, Signs signs) {
        checkSigns(signs, layer.pre, layer.post);
        int[] rowPtr = layer.rowPtr();
        int[] target = layer.targets();
        float[] w = layer.weights();
        float[] theta = new float[layer.size()];
        for (int j = 0; j < layer.pre; j++) {
            for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) theta[s] = signs.sign(target[s], j) * w[s];
        }
        return theta;
    }

    static void checkSigns(Signs signs, int pre, int post) {
        if (signs.pre() != pre || signs.post() != post) {
            throw new IllegalArgumentException("signs are for a " + signs.pre() + " → " + signs.post() + " layer, not " + pre + " → " + post);
        }
    }
}
