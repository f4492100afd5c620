package org.myelin.kernel;

import java.util.Arrays;

/**
 * Sparse delayed synapses in CSR form over presynaptic neurons: row j holds the synapses
 * {@code rowPtr[j] .. rowPtr[j+1]-1}, each with its postsynaptic target (ascending within a row),
 * effective weight and delay position. The per-synapse arrays are live: the structure learner
 * edits them in place and calls {@link #validate()} in tests.
 *
 * <p>An optional dense {@code pairDelay} (post × pre) keeps a delay for every pair, present or not,
 * so that a synapse removed and later regrown keeps its stored delay, and so that the dense
 * weight gradient (RigL's signal) is taken at each pair's stored delay.
 *
 * <p>Kernels: the forward pass and the tap gradients gather, per postsynaptic neuron, over the
 * (synapse, tap) entries that reach it (a post-major view rebuilt by {@link #prepare}); the input
 * gradient gathers per presynaptic row straight from the CSR order. Work is proportional to the
 * number of synapses × active taps: one tap for {@code int}, two for {@code linear}, Td+1 for
 * {@code gauss}.
 */
public final class CsrSynapses extends SynapseLayer {
    private final int[] rowPtr;
    private int[] target;
    private float[] weight;
    private float[] delay;
    private final float[] pairDelay;

    // ---- prepared entry lists (rebuilt by prepare; sized by capacity, reused)
    private DelayMode mode;
    private float sigma;
    private int lanes;
    private int steps;
    private int[] synEntry = new int[1];     // synapse s owns entries synEntry[s] .. synEntry[s+1]-1 (CSR order)
    private int[] entTap = new int[0];       // tap n of each entry, CSR order
    private float[] entK = new float[0];     // k_s[n]
    private float[] entDK = new float[0];    // dk_s[n]/dd
    private float[] bCoef = new float[0];    // w_s·k_s[n], CSR order
    private int[] bOff = new int[0];         // offset of dOut_i[n + ·] for the input gradient
    private int[] fPtr = new int[1];         // post-major view: entries of post i are fPtr[i] .. fPtr[i+1]-1
    private int[] fEntry = new int[0];       // CSR-order entry index of each post-major entry
    private int[] fOff = new int[0];         // offset of src_j[Td − n + ·]
    private float[] fCoef = new float[0];
    private float[] fG = new float[0];       // scratch: correlation per post-major entry
    private float[] gByEntry = new float[0]; // scratch: the same, in CSR order
    private int[] denseOff = new int[0];     // dense gradient (gauss): offsets of every (pre, tap)
    // gauss: every synapse has all taps, so forward and input gradient are convolutions (KernelOps.convolve)
    private int[] cPtr = new int[1];         // post-major synapses of post i: cPtr[i] .. cPtr[i+1]-1
    private int[] cRow = new int[0];         // their source row starts (pre j · srcStride)
    private float[] cKern = new float[0];    // their kernels w·k[n], CONV_PAD zeros each side
    private int[] bRow = new int[0];         // CSR order: output-gradient row start of the target
    private int[] cPos = new int[0];         // CSR order: each synapse's post-major position
    private float[] bKern = new float[0];    // CSR order: reversed kernels, CONV_PAD zeros each side
    private float[] denseG = new float[0];   // dense gradient (gauss): correlation of every (post, pre, tap)

    private CsrSynapses(int pre, int post, int maxDelay, int[] rowPtr, int[] target, float[] weight, float[] delay, float[] pairDelay) {
        super(pre, post, maxDelay);
        this.rowPtr = rowPtr;
        this.target = target;
        this.weight = weight;
        this.delay = delay;
        this.pairDelay = pairDelay;
        validate();
    }

    /**
     * Builds the CSR form of dense matrices: a synapse for every pair with w ≠ 0.
     *
     * @param w effective weights, post × pre (index i*pre + j)
     * @param d delay positions, post × pre, each in [0, Td] (kept for every pair)
     */
    public static CsrSynapses fromDense(int pre, int post, int maxDelay, float[] w, float[] d) {
        if (w.length != post * pre) throw new IllegalArgumentException("weights: expected " + post + "×" + pre + " = " + post * pre + " values, got " + w.length);
        if (d.length != post * pre) throw new IllegalArgumentException("delays: expected " + post + "×" + pre + " = " + post * pre + " values, got " + d.length);
        int[] rowPtr = new int[pre + 1];
        for (int i = 0; i < post; i++) {
            for (int j = 0; j < pre; j++) {
                float v = w[i * pre + j];
                checkWeight(v, "weight (" + i + ", " + j + ")");
                checkDelay(d[i * pre + j], maxDelay, "delay (" + i + ", " + j + ")");
                if (v != 0f) rowPtr[j + 1]++;
            }
        }
        for (int j = 0; j < pre; j++) rowPtr[j + 1] += rowPtr[j];
        int nnz = rowPtr[pre];
        int[] target = new int[nnz];
        float[] weight = new float[nnz];
        float[] delay = new float[nnz];
        int[] fill = Arrays.copyOf(rowPtr, pre);
        for (int i = 0; i < post; i++) {
            for (int j = 0; j < pre; j++) {
                float v = w[i * pre + j];
                if (v == 0f) continue;
                int s = fill[j]++;
                target[s] = i;
                weight[s] = v;
                delay[s] = d[i * pre + j];
            }
        }
        return new CsrSynapses(pre, post, maxDelay, rowPtr, target, weight, delay, d.clone());
    }

    /**
     * Wraps existing CSR arrays (not copied), checking every invariant.
     *
     * @throws IllegalArgumentException naming the first broken invariant
     */
    public static CsrSynapses of(int pre, int post, int maxDelay, int[] rowPtr, int[] targets, float[] weights, float[] delays, float[] pairDelays) {
        if (pairDelays != null) {
            if (pairDelays.length != post * pre) throw new IllegalArgumentException("pair delays: expected " + post * pre + " values, got " + pairDelays.length);
            for (int q = 0; q < pairDelays.length; q++) checkDelay(pairDelays[q], maxDelay, "pair delay (" + q / pre + ", " + q % pre + ")");
        }
        try {
            return new CsrSynapses(pre, post, maxDelay, rowPtr, targets, weights, delays, pairDelays);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /**
     * Builds from a list of synapses (pre[k] → post[k] with weight w[k] and delay d[k]).
     * A duplicate (pre, post) pair is an error. Pairs without a synapse get a stored delay of 0.
     */
    public static CsrSynapses fromList(int pre, int post, int maxDelay, int[] preIdx, int[] postIdx, float[] w, float[] d) {
        int n = preIdx.length;
        if (postIdx.length != n || w.length != n || d.length != n) {
            throw new IllegalArgumentException("synapse list: pre, post, weight and delay arrays differ in length ("
                    + n + ", " + postIdx.length + ", " + w.length + ", " + d.length + ")");
        }
        float[] dw = new float[post * pre];
        float[] dd = new float[post * pre];
        boolean[] seen = new boolean[post * pre];
        for (int k = 0; k < n; k++) {
            int j = preIdx[k], i = postIdx[k];
            if (j < 0 || j >= pre) throw new IllegalArgumentException("synapse " + k + ": presynaptic index " + j + " outside [0, " + pre + ")");
            if (i < 0 || i >= post) throw new IllegalArgumentException("synapse " + k + ": postsynaptic index " + i + " outside [0, " + post + ")");
            if (seen[i * pre + j]) throw new IllegalArgumentException("synapse " + k + ": duplicate pair (pre " + j + ", post " + i + ")");
            seen[i * pre + j] = true;
            checkWeight(w[k], "synapse " + k);
            if (w[k] == 0f) throw new IllegalArgumentException("synapse " + k + ": weight is 0 (an absent synapse must not be listed)");
            checkDelay(d[k], maxDelay, "synapse " + k);
            dw[i * pre + j] = w[k];
            dd[i * pre + j] = d[k];
        }
        return fromDense(pre, post, maxDelay, dw, dd);
    }

    /** Checks the CSR invariants; throws IllegalStateException naming the first broken one. */
    public void validate() {
        if (rowPtr.length != pre + 1 || rowPtr[0] != 0) throw new IllegalStateException("CSR: bad row pointer array");
        int nnz = rowPtr[pre];
        if (target.length < nnz || weight.length < nnz || delay.length < nnz) throw new IllegalStateException("CSR: per-synapse arrays shorter than " + nnz);
        for (int j = 0; j < pre; j++) {
            if (rowPtr[j + 1] < rowPtr[j]) throw new IllegalStateException("CSR: row pointers decrease at row " + j);
            for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) {
                int i = target[s];
                if (i < 0 || i >= post) throw new IllegalStateException("CSR: synapse " + s + " targets " + i + " outside [0, " + post + ")");
                if (s > rowPtr[j] && target[s - 1] >= i) throw new IllegalStateException("CSR: row " + j + " targets not strictly ascending at synapse " + s);
                if (!Float.isFinite(weight[s])) throw new IllegalStateException("CSR: synapse " + s + " weight not finite");
                if (!(delay[s] >= 0f && delay[s] <= maxDelay)) throw new IllegalStateException("CSR: synapse " + s + " delay " + delay[s] + " outside [0, " + maxDelay + "]");
            }
        }
    }

    @Override
    public int size() {
        return rowPtr[pre];
    }

    /** Row pointers (live). */
    public int[] rowPtr() { return rowPtr; }
    /** Postsynaptic target per synapse (live). */
    public int[] targets() { return target; }
    /** Effective weight per synapse (live). */
    public float[] weights() { return weight; }
    /** Delay position per synapse (live). */
    public float[] delays() { return delay; }
    /** Stored delay of every pair, post × pre (live), or null. */
    public float[] pairDelays() { return pairDelay; }

    @Override
    void prepare(Parallel par, DelayMode mode, float sigma, int lanes, int steps) {
        this.mode = mode;
        this.sigma = sigma;
        this.lanes = lanes;
        this.steps = steps;
        int nnz = size();
        int taps = taps();
        int srcStride = (maxDelay + steps) * lanes;
        int dStride = srcStride;
        if (synEntry.length < nnz + 1) synEntry = new int[nnz + 1];
        int e = 0;
        for (int s = 0; s < nnz; s++) {
            synEntry[s] = e;
            e += DelayKernels.lastTap(mode, delay[s], maxDelay) - DelayKernels.firstTap(mode, delay[s], maxDelay) + 1;
        }
        synEntry[nnz] = e;
        if (entTap.length < e) {
            int cap = Math.max(e, entTap.length * 3 / 2);
            entTap = new int[cap]; entK = new float[cap]; entDK = new float[cap]; bCoef = new float[cap]; bOff = new int[cap];
            fEntry = new int[cap]; fOff = new int[cap]; fCoef = new float[cap]; fG = new float[cap]; gByEntry = new float[cap];
        }
        if (fPtr.length < post + 1) fPtr = new int[post + 1];
        Arrays.fill(fPtr, 0, post + 1, 0);
        // the kernels of every synapse (Td + 1 exponentials each in gauss mode), split over the team
        par.range(nnz, 1, (lo, hi) -> {
            float[] k = new float[taps], dk = new float[taps];
            double[] scratch = new double[taps];
            int j = preOf(lo);
            for (int s = lo; s < hi; s++) {
                while (s >= rowPtr[j + 1]) j++;
                int i = target[s];
                DelayKernels.fill(mode, delay[s], sigma, maxDelay, k, dk, 0, scratch);
                int n0 = DelayKernels.firstTap(mode, delay[s], maxDelay);
                for (int q = synEntry[s]; q < synEntry[s + 1]; q++) {
                    int n = n0 + q - synEntry[s];
                    entTap[q] = n;
                    entK[q] = k[n];
                    entDK[q] = dk[n];
                    bCoef[q] = weight[s] * k[n];
                    bOff[q] = i * dStride + n * lanes;
                }
            }
        });
        for (int s = 0; s < nnz; s++) fPtr[target[s] + 1] += synEntry[s + 1] - synEntry[s];
        for (int i = 0; i < post; i++) fPtr[i + 1] += fPtr[i];
        if (mode == DelayMode.GAUSS) {
            // gauss uses the per-synapse forms only (convolutions and tap correlations)
            prepareConvolution(par, srcStride, dStride);
            return;
        }
        int[] fill = Arrays.copyOf(fPtr, post);
        for (int j = 0; j < pre; j++) {
            for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) {
                int i = target[s];
                for (int q = synEntry[s]; q < synEntry[s + 1]; q++) {
                    int p = fill[i]++;
                    fEntry[p] = q;
                    fOff[p] = j * srcStride + (maxDelay - entTap[q]) * lanes;
                    fCoef[p] = bCoef[q];
                }
            }
        }
    }

    /** The presynaptic row of synapse s (the last j with rowPtr[j] ≤ s). */
    private int preOf(int s) {
        int lo = 0, hi = pre - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (rowPtr[mid] <= s) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    private void prepareConvolution(Parallel par, int srcStride, int dStride) {
        int nnz = size(), taps = taps(), kp = taps + 2 * KernelOps.CONV_PAD;
        if (cPtr.length < post + 1) cPtr = new int[post + 1];
        if (cRow.length < nnz) {
            int cap = Math.max(nnz, cRow.length * 3 / 2);
            cRow = new int[cap];
            bRow = new int[cap];
            cPos = new int[cap];
        }
        if (cKern.length < nnz * kp) {
            cKern = new float[Math.max(nnz, cRow.length) * kp];
            bKern = new float[cKern.length];
        }
        Arrays.fill(cPtr, 0, post + 1, 0);
        for (int s = 0; s < nnz; s++) cPtr[target[s] + 1]++;
        for (int i = 0; i < post; i++) cPtr[i + 1] += cPtr[i];
        int[] fill = Arrays.copyOf(cPtr, post);
        for (int j = 0; j < pre; j++) {
            for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) {
                int p = fill[target[s]]++;
                cPos[s] = p;
                cRow[p] = j * srcStride;
                bRow[s] = target[s] * dStride;
            }
        }
        par.range(nnz, 16, (lo, hi) -> {
            for (int s = lo; s < hi; s++) {
                int p = cPos[s];
                for (int q = synEntry[s]; q < synEntry[s + 1]; q++) {
                    int n = entTap[q];
                    cKern[p * kp + KernelOps.CONV_PAD + n] = bCoef[q];
                    bKern[s * kp + KernelOps.CONV_PAD + (taps - 1 - n)] = bCoef[q];
                }
            }
        });
    }

    @Override
    void forward(KernelOps ops, Parallel par, float[] src, float[] dst) {
        int len = steps * lanes;
        if (mode == DelayMode.GAUSS) {
            int taps = taps(), kp = taps + 2 * KernelOps.CONV_PAD;
            par.range(post, 1, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    ops.convolve(cPtr[i + 1] - cPtr[i], taps, steps, lanes, cKern, cPtr[i] * kp, src, cRow, cPtr[i], dst, i * len);
                }
            });
            return;
        }
        par.range(post, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int e0 = fPtr[i];
                ops.gather(1, fPtr[i + 1] - e0, len, fCoef, e0, 0, src, fOff, e0, dst, i * len, 0);
            }
        });
    }

    @Override
    void backwardInput(KernelOps ops, Parallel par, float[] dOut, float[] dIn) {
        int len = steps * lanes;
        if (mode == DelayMode.GAUSS) {
            int taps = taps(), kp = taps + 2 * KernelOps.CONV_PAD;
            par.range(pre, 1, (lo, hi) -> {
                for (int j = lo; j < hi; j++) {
                    ops.convolve(rowPtr[j + 1] - rowPtr[j], taps, steps, lanes, bKern, rowPtr[j] * kp, dOut, bRow, rowPtr[j], dIn, j * len);
                }
            });
            return;
        }
        par.range(pre, 1, (lo, hi) -> {
            for (int j = lo; j < hi; j++) {
                int e0 = synEntry[rowPtr[j]];
                int e1 = synEntry[rowPtr[j + 1]];
                ops.gather(1, e1 - e0, len, bCoef, e0, 0, dOut, bOff, e0, dIn, j * len, 0);
            }
        });
    }

    @Override
    void backwardParams(KernelOps ops, Parallel par, float[] dOut, float[] src, float[] gw, float[] gd) {
        int len = steps * lanes;
        int dStride = (maxDelay + steps) * lanes;
        int nnz = size();
        if (mode == DelayMode.GAUSS) {
            // every synapse has all Td + 1 taps, a time shift apart: one tap correlation per synapse
            int taps = taps();
            par.range(nnz, 1, (lo, hi) -> {
                int j = preOf(lo);
                for (int s = lo; s < hi; s++) {
                    while (s >= rowPtr[j + 1]) j++;
                    int e0 = synEntry[s];
                    ops.correlateTaps(taps, steps, lanes, dOut, target[s] * dStride, src, j * dStride, fG, e0);
                    double w = 0, dd = 0;
                    for (int q = e0; q < e0 + taps; q++) {
                        w += (double) fG[q] * entK[q];
                        dd += (double) fG[q] * entDK[q];
                    }
                    gw[s] = (float) w;
                    if (gd != null) gd[s] = (float) (dd * weight[s]);
                }
            });
            return;
        }
        int entries = fPtr[post];
        Arrays.fill(fG, 0, entries, 0f);
        par.range(post, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int e0 = fPtr[i];
                ops.correlate(1, fPtr[i + 1] - e0, len, dOut, i * dStride, 0, src, fOff, e0, fG, e0, 0);
            }
        });
        // fG is post-major; scatter the per-entry correlations back to synapses (CSR order).
        par.range(entries, 64, (lo, hi) -> {
            for (int p = lo; p < hi; p++) gByEntry[fEntry[p]] = fG[p];
        });
        par.range(nnz, 16, (lo, hi) -> {
            for (int s = lo; s < hi; s++) {
                double w = 0, dd = 0;
                for (int q = synEntry[s]; q < synEntry[s + 1]; q++) {
                    w += (double) gByEntry[q] * entK[q];
                    dd += (double) gByEntry[q] * entDK[q];
                }
                gw[s] = (float) w;
                if (gd != null) gd[s] = mode == DelayMode.INT ? 0f : (float) (dd * weight[s]);
            }
        });
    }

    @Override
    void denseWeightGradient(KernelOps ops, Parallel par, float[] dOut, float[] src, float[] out) {
        if (pairDelay == null) throw new IllegalStateException("dense weight gradient needs the stored delay of every pair");
        int len = steps * lanes;
        int dStride = (maxDelay + steps) * lanes;
        int srcStride = dStride;
        int taps = taps();
        if (mode == DelayMode.GAUSS) {
            // Every pair has all Td+1 taps: one shared list of shifted source rows, so blocks of
            // four postsynaptic rows share every load (the dense kernel's correlation).
            int cnt = pre * taps;
            if (denseOff.length != cnt) denseOff = new int[cnt];
            for (int j = 0; j < pre; j++) for (int n = 0; n < taps; n++) denseOff[j * taps + n] = j * srcStride + (maxDelay - n) * lanes;
            if (denseG.length < post * cnt) denseG = new float[post * cnt];
            float[] g = denseG;
            int[] offs = denseOff;
            Arrays.fill(g, 0, post * cnt, 0f);
            par.range(post, 4, (lo, hi) -> {
                ops.correlate(hi - lo, cnt, len, dOut, lo * dStride, dStride, src, offs, 0, g, lo * cnt, cnt);
                float[] k = new float[taps];
                double[] e = new double[taps];
                for (int i = lo; i < hi; i++) {
                    for (int j = 0; j < pre; j++) {
                        DelayKernels.fill(mode, pairDelay[i * pre + j], sigma, maxDelay, k, null, 0, e);
                        double acc = 0;
                        for (int n = 0; n < taps; n++) acc += (double) g[(i * pre + j) * taps + n] * k[n];
                        out[i * pre + j] = (float) acc;
                    }
                }
            });
            return;
        }
        par.range(post, 1, (lo, hi) -> {
            int[] off = new int[pre * taps];
            float[] kk = new float[pre * taps];
            float[] g = new float[pre * taps];
            float[] k = new float[taps];
            double[] scratch = new double[taps];
            for (int i = lo; i < hi; i++) {
                int e = 0;
                for (int j = 0; j < pre; j++) {
                    float d = pairDelay[i * pre + j];
                    DelayKernels.fill(mode, d, sigma, maxDelay, k, null, 0, scratch);
                    int n1 = DelayKernels.lastTap(mode, d, maxDelay);
                    for (int n = DelayKernels.firstTap(mode, d, maxDelay); n <= n1; n++) {
                        off[e] = j * srcStride + (maxDelay - n) * lanes;
                        kk[e] = k[n];
                        e++;
                    }
                }
                Arrays.fill(g, 0, e, 0f);
                ops.correlate(1, e, len, dOut, i * dStride, 0, src, off, 0, g, 0, 0);
                e = 0;
                for (int j = 0; j < pre; j++) {
                    float d = pairDelay[i * pre + j];
                    int cnt = DelayKernels.lastTap(mode, d, maxDelay) - DelayKernels.firstTap(mode, d, maxDelay) + 1;
                    double acc = 0;
                    for (int q = 0; q < cnt; q++, e++) acc += (double) g[e] * kk[e];
                    out[i * pre + j] = (float) acc;
                }
            }
        });
    }

    @Override
    float pairDelay(int q) {
        if (pairDelay == null) throw new IllegalStateException("pair gradients need the stored delay of every pair");
        return pairDelay[q];
    }

    @Override
    public float[] denseWeights() {
        float[] w = new float[post * pre];
        for (int j = 0; j < pre; j++) {
            for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) w[target[s] * pre + j] = weight[s];
        }
        return w;
    }

    @Override
    public float[] denseDelays() {
        float[] d = pairDelay != null ? pairDelay.clone() : new float[post * pre];
        for (int j = 0; j < pre; j++) {
            for (int s = rowPtr[j]; s < rowPtr[j + 1]; s++) d[target[s] * pre + j] = delay[s];
        }
        return d;
    }
}
