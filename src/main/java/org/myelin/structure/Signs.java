package org.myelin.structure;

import java.util.SplittableRandom;

/**
 * The fixed sign s of every (post, pre) pair of one synapse layer, so that the effective weight of a
 * synapse is w = s · θ with a magnitude θ ≥ 0 (DEEP R).
 *
 * <p>With Dale's law (the paper's default) every presynaptic neuron has one random sign shared by all
 * its outgoing synapses; without it every pair has its own random sign (a post × pre matrix), so a
 * pair that is pruned and later regrown gets its old sign back. Signs are drawn from a
 * {@link SplittableRandom} seeded per layer: each layer must use its own seed (its own sign vector).
 */
public final class Signs {
    private final int pre;
    private final int post;
    private final boolean dale;
    /** Dale: one value per presynaptic neuron; otherwise one per pair, index i·pre + j (i postsynaptic, j presynaptic). */
    private final float[] values;

    private Signs(int pre, int post, boolean dale, float[] values) {
        if (pre <= 0 || post <= 0) throw new IllegalArgumentException("layer size must be positive, got " + pre + " → " + post);
        if ((long) pre * post > Integer.MAX_VALUE) throw new IllegalArgumentException("layer " + pre + " → " + post + " has too many pairs");
        int expected = dale ? pre : pre * post;
        if (values.length != expected) throw new IllegalArgumentException("signs: expected " + expected + " values, got " + values.length);
        for (int k = 0; k < values.length; k++) {
            if (values[k] != 1f && values[k] != -1f) throw new IllegalArgumentException("sign " + k + " is " + values[k] + ", not ±1");
        }
        this.pre = pre;
        this.post = post;
        this.dale = dale;
        this.values = values;
    }

    /** Dale's law: one random sign per presynaptic neuron, drawn from {@code seed}. */
    public static Signs dale(int pre, int post, long seed) {
        return new Signs(pre, post, true, draw(pre, seed));
    }

    /** No Dale's law: one random sign per (post, pre) pair, drawn from {@code seed}. */
    public static Signs perPair(int pre, int post, long seed) {
        if ((long) pre * post > Integer.MAX_VALUE) throw new IllegalArgumentException("layer " + pre + " → " + post + " has too many pairs");
        return new Signs(pre, post, false, draw(Math.max(0, pre) * Math.max(0, post), seed));
    }

    /** {@link #dale} when {@code daleLaw}, else {@link #perPair}. */
    public static Signs random(boolean daleLaw, int pre, int post, long seed) {
        return daleLaw ? dale(pre, post, seed) : perPair(pre, post, seed);
    }

    /** Given Dale signs, one ±1 per presynaptic neuron (copied). */
    public static Signs ofPresynaptic(int post, float[] preSigns) {
        return new Signs(preSigns.length, post, true, preSigns.clone());
    }

    /** Given per-pair signs, ±1 for every pair, post × pre, index i·pre + j (i postsynaptic, j presynaptic) (copied). */
    public static Signs ofPairs(int pre, int post, float[] pairSigns) {
        return new Signs(pre, post, false, pairSigns.clone());
    }

    private static float[] draw(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] s = new float[n];
        for (int k = 0; k < n; k++) s[k] = rng.nextBoolean() ? 1f : -1f;
        return s;
    }

    /** The sign (+1 or −1) of the pair from presynaptic {@code j} to postsynaptic {@code i}. */
    public float sign(int i, int j) {
        return dale ? values[j] : values[i * pre + j];
    }

    /** True when the signs follow Dale's law (one per presynaptic neuron). */
    public boolean isDale() {
        return dale;
    }

    /** Number of presynaptic neurons. */
    public int pre() {
        return pre;
    }

    /** Number of postsynaptic neurons. */
    public int post() {
        return post;
    }

    /** A copy of the sign values: per presynaptic neuron (Dale) or per pair (post × pre). */
    public float[] values() {
        return values.clone();
    }
}
