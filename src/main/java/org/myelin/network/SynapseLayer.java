package org.myelin.network;

import org.myelin.kernel.KernelOps;
import org.myelin.kernel.Parallel;
import java.util.Arrays;

/**
 * One layer of delayed synapses from {@code pre} to {@code post} neurons with taps 0..Td:
 * I_i[t] = Σ_j w_ij Σ_n k_ij[n] x_j[t − n].
 *
 * <p>Layouts shared by both implementations (B = batch lanes, T = steps):
 * <ul>
 *   <li>source {@code src}: row j at {@code j*srcStride}, {@code srcStride = (Td + T)·B}, the first
 *       Td·B values zero (so x_j[t − n] at column (t, b) is {@code src[j*srcStride + (Td − n + t)·B + b]} —
 *       a shifted contiguous row, which is why the batch lane is innermost);</li>
 *   <li>output {@code dst}: row i at {@code i*dstStride}, T·B values, {@code [t][b]};</li>
 *   <li>output gradient {@code dOut}: row i at {@code i*dStride}, {@code dStride = (T + Td)·B}, the
 *       last Td·B values zero (so dOut_i[t + n] is again a shifted contiguous row).</li>
 * </ul>
 */
public abstract class SynapseLayer {
    public final int pre;
    public final int post;
    public final int maxDelay;
    /** Batch lanes B and steps T of the last {@link #prepare} (each implementation sets them there). */
    int lanes, steps;

    SynapseLayer(int pre, int post, int maxDelay) {
        if (pre <= 0 || post <= 0) throw new IllegalArgumentException("layer size must be positive, got " + pre + " → " + post);
        if (maxDelay < 0) throw new IllegalArgumentException("maximum delay must be ≥ 0, got " + maxDelay);
        this.pre = pre;
        this.post = post;
        this.maxDelay = maxDelay;
    }

    final int taps() {
        return maxDelay + 1;
    }

    /** Number of parameters per kind (synapses for CSR, pairs for dense). */
    public abstract int size();

    /** Rebuilds tap kernels and gather lists for the current weights and delays and batch lanes (split over the team). */
    abstract void prepare(Parallel par, DelayMode mode, float sigma, int lanes, int steps);

    /** dst rows (T·B) from the padded source. */
    abstract void forward(KernelOps ops, Parallel par, float[] src, float[] dst);

    /** Presynaptic rows per block of {@link #backwardInputRows}: a caller's row ranges start at multiples of it. */
    static final int INPUT_ROW_BLOCK = 4;

    /**
     * Gradient with respect to the (unpadded) source, rows j0 .. j1 − 1 (j0 a multiple of
     * {@link #INPUT_ROW_BLOCK}) into {@code dIn} from {@code dInOff}, stride T·B, on the calling
     * thread. Each row has the same bits whatever the range it is computed in, so a caller may
     * consume the rows block by block while they are in cache (the hidden layer's backward pass).
     */
    abstract void backwardInputRows(KernelOps ops, int j0, int j1, float[] dOut, float[] dIn, int dInOff);

    /** The whole input gradient: rows of T·B, stride T·B, split over the team. */
    final void backwardInput(KernelOps ops, Parallel par, float[] dOut, float[] dIn) {
        int len = steps * lanes;
        par.range(pre, INPUT_ROW_BLOCK, (lo, hi) -> backwardInputRows(ops, lo, hi, dOut, dIn, lo * len));
    }

    /** Weight and delay gradients (per parameter of {@link #size()}); gd may be null. */
    abstract void backwardParams(KernelOps ops, Parallel par, float[] dOut, float[] src, float[] gw, float[] gd);

    /** dL/dw for every (post, pre) pair, index post*pre + j, at each pair's stored delay (RigL's signal). */
    abstract void denseWeightGradient(KernelOps ops, Parallel par, float[] dOut, float[] src, float[] out);

    /** The stored delay of pair q = post*pre + j, present or not. */
    abstract float pairDelay(int q);

    /** Columns of the first half of a row split in two: half the row, a multiple of 64 (0 for rows under 128 columns). */
    private static int firstHalf(int len) {
        return len / 128 * 64;
    }

    /**
     * {@code rows} output rows of {@code len} columns (stride len, from {@code dst[0]}) that share one
     * entry list: row r gathers {@code coef[coefOff + r*count ..]} over {@code srcOff[offOff ..]}.
     * Split over (column half, block of four rows) items, halves outermost, so that a team of two
     * gives each thread every row over half of the columns: balanced for the 20-output layer too,
     * whose five row blocks cannot be shared evenly. A thread's items of one half are one gather
     * (its rows share every loaded source window). Each output is one FMA chain in entry order
     * whatever the split, so the bits do not depend on the team.
     */
    static void gatherRows(KernelOps ops, Parallel par, int rows, int count, int len, float[] coef, int coefOff,
                           float[] src, int[] srcOff, int offOff, float[] dst) {
        int half = firstHalf(len);
        int halves = half > 0 ? 2 : 1;
        int blocks = (rows + 3) / 4;
        par.range(halves * blocks, 1, (lo, hi) -> {
            for (int it = lo; it < hi; ) {
                int h = it / blocks, end = Math.min(hi, (h + 1) * blocks);
                int r0 = (it - h * blocks) * 4, r1 = Math.min(rows, (end - h * blocks) * 4);
                int c0 = h == 0 ? 0 : half, cols = halves == 1 ? len : h == 0 ? half : len - half;
                ops.gather(r1 - r0, count, c0, c0 + cols, coef, coefOff + r0 * count, count, src, srcOff, offOff, dst, r0 * len, len, false);
                it = end;
            }
        });
    }

    /**
     * dL/dw of {@code count} listed pairs (index post*pre + j each), at each pair's stored delay, into
     * {@code out[0..count)}: the same quantity as {@link #denseWeightGradient} on those pairs, at a
     * cost proportional to the list (one tap correlation per pair). The geometry is the last
     * {@link #prepare}'s.
     */
    final void pairWeightGradient(KernelOps ops, Parallel par, DelayMode mode, float sigma, int steps, int lanes,
                                  float[] dOut, float[] src, int[] pairs, int count, float[] out) {
        int taps = taps();
        int stride = (maxDelay + steps) * lanes;
        for (int c = 0; c < count; c++) {
            if (pairs[c] < 0 || pairs[c] >= post * pre) throw new IllegalArgumentException("pair " + c + ": index " + pairs[c] + " outside [0, " + post * pre + ")");
        }
        // in ascending pair order (post-major), so that a post's candidates run one after another
        // while its output-gradient row is in cache; out keeps the caller's order
        long[] order = new long[count];
        for (int c = 0; c < count; c++) order[c] = (long) pairs[c] << 32 | c;
        Arrays.sort(order);
        par.range(count, 1, (lo, hi) -> {
            float[] g = new float[taps], k = new float[taps];
            double[] scratch = new double[taps];
            for (int p = lo; p < hi; p++) {
                int c = (int) order[p];
                int q = pairs[c], i = q / pre, j = q % pre;
                DelayKernels.fill(mode, pairDelay(q), sigma, maxDelay, k, null, 0, scratch);
                ops.correlateTaps(taps, steps, lanes, dOut, i * stride, src, j * stride, g, 0);
                double acc = 0;
                for (int n = 0; n < taps; n++) acc += (double) g[n] * k[n];
                out[c] = (float) acc;
            }
        });
    }

    /**
     * The live weight array the optimiser updates: one value per parameter, the first {@link #size()}
     * entries (CSR: synapse order; dense: post × pre). Not a copy.
     */
    public abstract float[] weights();

    /** The live delay-position array, laid out as {@link #weights()}. Not a copy. */
    public abstract float[] delays();

    /** The effective weight matrix (post × pre, 0 where no synapse). */
    public abstract float[] denseWeights();

    /** The delay matrix (post × pre). */
    public abstract float[] denseDelays();

    static void checkDelay(float d, int maxDelay, String where) {
        if (!(d >= 0f && d <= maxDelay)) {
            throw new IllegalArgumentException(where + ": delay " + d + " is outside [0, " + maxDelay + "]");
        }
    }

    static void checkWeight(float w, String where) {
        if (!Float.isFinite(w)) throw new IllegalArgumentException(where + ": weight " + w + " is not finite");
    }
}
