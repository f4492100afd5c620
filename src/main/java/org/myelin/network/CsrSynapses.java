package org.myelin.network;

import org.myelin.kernel.KernelOps;
import org.myelin.kernel.Parallel;
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
 * <p>Kernels: for {@code int} and {@code linear} the forward pass and the tap gradients gather,
 * per postsynaptic neuron, over the (synapse, tap) entries that reach it (a post-major view rebuilt
 * by {@link #prepare}); the input gradient gathers per presynaptic row straight from the CSR order.
 * For {@code gauss} every synapse has all Td+1 taps a time shift apart: the forward pass and input
 * gradient are register-blocked convolutions and the gradients tap correlations, one per synapse;
 * and a block of four posts (four presynaptic rows for the input gradient) whose synapse sets
 * mostly coincide runs as the dense kernels do, over the union of their entries with zero
 * coefficients for absent synapses ({@code UNION_RATIO}). Work is proportional to the number of
 * synapses × active taps: one tap for {@code int}, two for {@code linear}, Td+1 for {@code gauss}.
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
    private int[] fBlk = new int[0];         // post-major entries of post i from pre block b on: fBlk[i·(preBlocks + 1) + b] (pre > post only)
    private int preBlocks;
    private int[] denseOff = new int[0];     // dense gradient (gauss): offsets of every (pre, tap)
    // gauss: every synapse has all taps, so forward and input gradient are convolutions (KernelOps.convolve)
    private int[] cPtr = new int[1];         // post-major synapses of post i: cPtr[i] .. cPtr[i+1]-1
    private int[] cRow = new int[0];         // their source row starts (pre j · srcStride)
    private float[] cKern = new float[0];    // their kernels w·k[n], CONV_PAD zeros each side
    private int[] bRow = new int[0];         // CSR order: output-gradient row start of the target
    private int[] cPos = new int[0];         // CSR order: each synapse's post-major position
    private int[] cSyn = new int[0];         // post-major position → synapse
    // gauss, blocks of four posts whose presynaptic sets mostly coincide (a dense-ish block): one
    // register-blocked gather / correlation over the union of their (pre, tap) entries, zero
    // coefficients where a post lacks the synapse (the dense kernels' form, the same speed at density 1)
    private int[] uStart = new int[0];       // per block: first union entry, −1 when the block uses per-post convolutions
    private int[] uCount = new int[0];       // per block: union entries (|U|·taps)
    private int[] uOff = new int[0];         // union entries: source offset of (pre, tap)
    private float[] uCoef = new float[0];    // per block 4 rows × uCount coefficients, from 4·uStart
    private float[] uG = new float[0];       // scratch: the union correlations, same layout
    private int[] uIdx = new int[0];         // post-major position → its pre's index in the block's union
    private int[] uMark = new int[0], uPos = new int[0];
    private boolean[] uSame = new boolean[0]; // block blk has the same union as block blk − 1 (one gather for the run)
    // the same for the input gradient: blocks of four presynaptic rows over the union of their targets
    private int[] vStart = new int[0], vCount = new int[0], vOff = new int[0];
    private float[] vCoef = new float[0];
    private boolean[] vSame = new boolean[0];
    private int[] vMark = new int[0], vPos = new int[0];
    private int inputBlocks;
    private int unionBlocks;
    /** A block of four posts is gathered over its union when 4·|union| ≤ this × its synapses (gather4 is ~1.8× convolve's FLOP rate). */
    static final double UNION_RATIO = 1.5;
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
        // each post's entries are in ascending pre order: split them at every PRE_BLOCK-th pre
        // (only the passes of a layer with more source rows than posts use the blocks)
        if (pre <= post) return;
        int nb = (pre + PRE_BLOCK - 1) / PRE_BLOCK;
        preBlocks = nb;
        if (fBlk.length < post * (nb + 1)) fBlk = new int[post * (nb + 1)];
        for (int i = 0; i < post; i++) {
            int p = fPtr[i];
            for (int b = 0; b < nb; b++) {
                while (p < fPtr[i + 1] && fOff[p] / srcStride < b * PRE_BLOCK) p++;
                fBlk[i * (nb + 1) + b] = p;
            }
            fBlk[i * (nb + 1) + nb] = fPtr[i + 1];
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
            cSyn = new int[cap];
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
                cSyn[p] = s;
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
        prepareUnion(srcStride);
        prepareInputUnion(dStride);
    }

    private void prepareInputUnion(int dStride) {
        int taps = taps();
        int blocks = pre / 4;
        inputBlocks = blocks;
        if (vStart.length < blocks) {
            vStart = new int[blocks];
            vCount = new int[blocks];
            vSame = new boolean[blocks];
        }
        if (vMark.length < post) {
            vMark = new int[post];
            vPos = new int[post];
        }
        Arrays.fill(vMark, 0, post, -1);
        int entries = 0;
        for (int blk = 0; blk < blocks; blk++) {
            int s0 = rowPtr[4 * blk], s1 = rowPtr[4 * blk + 4];
            int u = 0;
            for (int sy = s0; sy < s1; sy++) {
                if (vMark[target[sy]] != blk) {
                    vMark[target[sy]] = blk;
                    u++;
                }
            }
            if (s1 > s0 && 4.0 * u <= UNION_RATIO * (s1 - s0)) {
                vStart[blk] = entries;
                vCount[blk] = u * taps;
                entries += u * taps;
            } else {
                vStart[blk] = -1;
            }
        }
        if (vOff.length < entries) {
            int cap = Math.max(entries, vOff.length * 3 / 2);
            vOff = new int[cap];
            vCoef = new float[4 * cap];
        }
        Arrays.fill(vMark, 0, post, -1);
        for (int blk = 0; blk < blocks; blk++) {
            int st = vStart[blk];
            if (st < 0) continue;
            int cnt = vCount[blk], s0 = rowPtr[4 * blk], s1 = rowPtr[4 * blk + 4];
            for (int sy = s0; sy < s1; sy++) vMark[target[sy]] = blk;
            int u = 0;
            for (int i = 0; i < post; i++) {
                if (vMark[i] != blk) continue;
                vPos[i] = u;
                for (int n = 0; n < taps; n++) vOff[st + u * taps + n] = i * dStride + n * lanes;
                u++;
            }
            vSame[blk] = blk > 0 && vStart[blk - 1] >= 0 && vCount[blk - 1] == cnt
                    && Arrays.equals(vOff, vStart[blk - 1], vStart[blk - 1] + cnt, vOff, st, st + cnt);
            Arrays.fill(vCoef, 4 * st, 4 * st + 4 * cnt, 0f);
            for (int r = 0; r < 4; r++) {
                for (int sy = rowPtr[4 * blk + r]; sy < rowPtr[4 * blk + r + 1]; sy++) {
                    System.arraycopy(bCoef, synEntry[sy], vCoef, 4 * st + r * cnt + vPos[target[sy]] * taps, taps);
                }
            }
        }
    }

    private void prepareUnion(int srcStride) {
        int taps = taps(), kp = taps + 2 * KernelOps.CONV_PAD;
        int blocks = post / 4;
        unionBlocks = blocks;
        if (uStart.length < blocks) {
            uStart = new int[blocks];
            uCount = new int[blocks];
            uSame = new boolean[blocks];
        }
        if (uMark.length < pre) {
            uMark = new int[pre];
            uPos = new int[pre];
        }
        Arrays.fill(uMark, 0, pre, -1);
        if (uIdx.length < cSyn.length) uIdx = new int[cSyn.length];
        int entries = 0;
        for (int blk = 0; blk < blocks; blk++) {
            int p0 = cPtr[4 * blk], p1 = cPtr[4 * blk + 4];
            int u = 0;
            for (int p = p0; p < p1; p++) {
                int j = cRow[p] / srcStride;
                if (uMark[j] != blk) {
                    uMark[j] = blk;
                    u++;
                }
            }
            if (p1 > p0 && 4.0 * u <= UNION_RATIO * (p1 - p0)) {
                uStart[blk] = entries;
                uCount[blk] = u * taps;
                entries += u * taps;
            } else {
                uStart[blk] = -1;
            }
        }
        if (uOff.length < entries) {
            int cap = Math.max(entries, uOff.length * 3 / 2);
            uOff = new int[cap];
            uCoef = new float[4 * cap];
            uG = new float[4 * cap];
        }
        Arrays.fill(uMark, 0, pre, -1);
        for (int blk = 0; blk < blocks; blk++) {
            int st = uStart[blk];
            if (st < 0) continue;
            int cnt = uCount[blk], p0 = cPtr[4 * blk], p1 = cPtr[4 * blk + 4];
            for (int p = p0; p < p1; p++) uMark[cRow[p] / srcStride] = blk;
            int u = 0;
            for (int j = 0; j < pre; j++) {
                if (uMark[j] != blk) continue;
                uPos[j] = u;
                for (int n = 0; n < taps; n++) uOff[st + u * taps + n] = j * srcStride + (maxDelay - n) * lanes;
                u++;
            }
            uSame[blk] = blk > 0 && uStart[blk - 1] >= 0 && uCount[blk - 1] == cnt
                    && Arrays.equals(uOff, uStart[blk - 1], uStart[blk - 1] + cnt, uOff, st, st + cnt);
            Arrays.fill(uCoef, 4 * st, 4 * st + 4 * cnt, 0f);
            for (int r = 0; r < 4; r++) {
                for (int p = cPtr[4 * blk + r]; p < cPtr[4 * blk + r + 1]; p++) {
                    int uu = uPos[cRow[p] / srcStride];
                    uIdx[p] = uu;
                    System.arraycopy(cKern, p * kp + KernelOps.CONV_PAD, uCoef, 4 * st + r * cnt + uu * taps, taps);
                }
            }
        }
    }

    /** The team's split of the posts: whole blocks of four where union blocks exist (they start at multiples of four), single posts otherwise. */
    private int postGrain() {
        for (int blk = 0; blk < unionBlocks; blk++) if (uStart[blk] >= 0) return 4;
        return 1;
    }

    /**
     * True when every post is in a union block and all blocks share one union (density 1, or any
     * layer whose posts see the same presynaptic rows): the layer is then a dense one over the
     * union, its coefficient and correlation rows consecutive from block 0, and its passes split
     * the posts as the dense layer does (column halves forward, 5-row blocks for the gradients).
     */
    private boolean oneRun() {
        if (post % 4 != 0 || unionBlocks != post / 4) return false;
        for (int blk = 0; blk < unionBlocks; blk++) {
            if (uStart[blk] < 0 || (blk > 0 && !uSame[blk])) return false;
        }
        return true;
    }

    /** True when posts i .. i+3 (i a multiple of 4) are one union block. */
    private boolean unionBlock(int i) {
        int blk = i / 4;
        return i % 4 == 0 && blk < unionBlocks && uStart[blk] >= 0;
    }

    @Override
    void forward(KernelOps ops, Parallel par, float[] src, float[] dst) {
        int len = steps * lanes;
        if (mode == DelayMode.GAUSS) {
            if (oneRun()) {
                gatherRows(ops, par, post, uCount[0], len, uCoef, 4 * uStart[0], src, uOff, uStart[0], dst);
                return;
            }
            int taps = taps(), kp = taps + 2 * KernelOps.CONV_PAD;
            par.range(post, postGrain(), (lo, hi) -> {
                for (int i = lo; i < hi; ) {
                    if (i + 4 <= hi && unionBlock(i)) {
                        // a run of blocks with one union: one gather over all their rows (their
                        // coefficient rows are consecutive), so the rows share every source window
                        int blk = i / 4, st = uStart[blk], cnt = uCount[blk];
                        int rows = runRows(i, hi);
                        ops.gather(rows, cnt, 0, len, uCoef, 4 * st, cnt, src, uOff, st, dst, i * len, len, false);
                        i += rows;
                    } else {
                        ops.convolve(cPtr[i + 1] - cPtr[i], taps, steps, lanes, cKern, cPtr[i] * kp, src, cRow, cPtr[i], dst, i * len);
                        i++;
                    }
                }
            });
            return;
        }
        if (pre > post) {
            // Many source rows, few posts (layer 2): blocked over (column tile, block of presynaptic
            // rows), every post inside, so the posts' output tiles stay in L2 while each block of
            // source rows passes once, instead of every post streaming all the source rows. A
            // post's gathers over its blocks continue one FMA chain (add): each output has the
            // bits of one gather over all its entries.
            int tiles = (len + COLUMN_TILE - 1) / COLUMN_TILE, nb = preBlocks;
            par.range(tiles, 1, (lo, hi) -> {
                for (int t = lo; t < hi; t++) {
                    int c0 = t * COLUMN_TILE, c1 = Math.min(len, c0 + COLUMN_TILE);
                    for (int b = 0; b < nb; b++) {
                        for (int i = 0; i < post; i++) {
                            int e0 = fBlk[i * (nb + 1) + b], e1 = fBlk[i * (nb + 1) + b + 1];
                            if (b == 0 || e1 > e0) ops.gather(1, e1 - e0, c0, c1, fCoef, e0, 0, src, fOff, e0, dst, i * len, 0, b > 0);
                        }
                    }
                }
            });
            return;
        }
        // column tiles outermost: every post of the chunk reads the tile's source windows while
        // they are in L2, instead of each post streaming all its rows from L3 or memory
        par.range(post, 1, (lo, hi) -> {
            for (int c0 = 0; c0 < len; c0 += COLUMN_TILE) {
                int c1 = Math.min(len, c0 + COLUMN_TILE);
                for (int i = lo; i < hi; i++) {
                    int e0 = fPtr[i];
                    ops.gather(1, fPtr[i + 1] - e0, c0, c1, fCoef, e0, 0, src, fOff, e0, dst, i * len, 0, false);
                }
            }
        });
    }

    /** Columns per tile of the integer-delay gathers (2048 measured faster than 512 and 8192, BENCHMARKS.md). */
    static final int COLUMN_TILE = 2048;
    /** Presynaptic rows per block of the integer-delay passes of a layer with more source rows than posts (four full rows of a batch of 256 are 428 KB: they stay in L2). */
    static final int PRE_BLOCK = 4;


    @Override
    void backwardInputRows(KernelOps ops, int j0, int j1, float[] dOut, float[] dIn, int dInOff) {
        int len = steps * lanes;
        if (mode == DelayMode.GAUSS) {
            int taps = taps(), kp = taps + 2 * KernelOps.CONV_PAD;
            for (int j = j0; j < j1; ) {
                int blk = j / 4;
                if (j % 4 == 0 && j + 4 <= j1 && blk < inputBlocks && vStart[blk] >= 0) {
                    // a run of blocks with one union: one gather over all their rows
                    int st = vStart[blk], cnt = vCount[blk];
                    int rows = 4;
                    while (j + rows + 4 <= j1 && (j + rows) / 4 < inputBlocks && vSame[(j + rows) / 4]) rows += 4;
                    ops.gather(rows, cnt, 0, len, vCoef, 4 * st, cnt, dOut, vOff, st, dIn, dInOff + (j - j0) * len, len, false);
                    j += rows;
                } else {
                    ops.convolve(rowPtr[j + 1] - rowPtr[j], taps, steps, lanes, bKern, rowPtr[j] * kp, dOut, bRow, rowPtr[j], dIn, dInOff + (j - j0) * len);
                    j++;
                }
            }
            return;
        }
        // column tiles outermost: the rows of the range read each tile's output-gradient windows while they are in L2
        for (int c0 = 0; c0 < len; c0 += COLUMN_TILE) {
            int c1 = Math.min(len, c0 + COLUMN_TILE);
            for (int j = j0; j < j1; j++) {
                int e0 = synEntry[rowPtr[j]];
                int e1 = synEntry[rowPtr[j + 1]];
                ops.gather(1, e1 - e0, c0, c1, bCoef, e0, 0, dOut, bOff, e0, dIn, dInOff + (j - j0) * len, 0, false);
            }
        }
    }

    @Override
    void backwardParams(KernelOps ops, Parallel par, float[] dOut, float[] src, float[] gw, float[] gd) {
        int len = steps * lanes;
        int dStride = (maxDelay + steps) * lanes;
        int nnz = size();
        if (mode == DelayMode.GAUSS) {
            // every synapse has all Td + 1 taps, a time shift apart: one tap correlation per synapse,
            // or one register-blocked correlation of a run of union blocks over their shared
            // entries (their rows of uG are consecutive, as their coefficient rows in the forward pass)
            int taps = taps();
            if (oneRun()) {
                // one run from post 0: any row range of it is a run of its own, split as the dense layer's
                int st = uStart[0], cnt = uCount[0];
                par.range(post, 5, (lo, hi) -> correlateRun(ops, lo, hi - lo, st, 4 * st + lo * cnt, cnt, dOut, src, gw, gd));
                return;
            }
            par.range(post, postGrain(), (lo, hi) -> {
                for (int i = lo; i < hi; ) {
                    if (i + 4 <= hi && unionBlock(i)) {
                        int st = uStart[i / 4];
                        int rows = runRows(i, hi);
                        correlateRun(ops, i, rows, st, 4 * st, uCount[i / 4], dOut, src, gw, gd);
                        i += rows;
                    } else {
                        for (int p = cPtr[i]; p < cPtr[i + 1]; p++) {
                            int sy = cSyn[p], e0 = synEntry[sy];
                            ops.correlateTaps(taps, steps, lanes, dOut, i * dStride, src, cRow[p], fG, e0);
                            reduceTaps(sy, fG, e0, gw, gd);
                        }
                        i++;
                    }
                }
            });
            return;
        }
        int entries = fPtr[post];
        Arrays.fill(fG, 0, entries, 0f);
        // Every entry's correlation is one full-row sum whatever the entries beside it, so the
        // order is free. Many source rows, few posts (layer 2: 256 against 20): blocks of source
        // rows outermost, so that each block stays in L2 for every post and the source streams
        // from memory once (the small output gradient is re-read from cache); otherwise post by post.
        if (pre > post) {
            int nb = preBlocks;
            par.range(nb, 1, (lo, hi) -> {
                for (int b = lo; b < hi; b++) {
                    for (int i = 0; i < post; i++) {
                        int e0 = fBlk[i * (nb + 1) + b], e1 = fBlk[i * (nb + 1) + b + 1];
                        if (e1 > e0) ops.correlate(1, e1 - e0, len, dOut, i * dStride, 0, src, fOff, e0, fG, e0, 0);
                    }
                }
            });
        } else {
            par.range(post, 1, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    int e0 = fPtr[i];
                    ops.correlate(1, fPtr[i + 1] - e0, len, dOut, i * dStride, 0, src, fOff, e0, fG, e0, 0);
                }
            });
        }
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

    /** Posts from i (the start of a union block, below hi) in the run of union blocks that share its union, whole blocks up to hi. */
    private int runRows(int i, int hi) {
        int rows = 4;
        while (i + rows + 4 <= hi && (i + rows) / 4 < unionBlocks && uSame[(i + rows) / 4]) rows += 4;
        return rows;
    }

    /**
     * The weight and delay gradients of posts i0 .. i0 + rows − 1 of one union run: one correlation
     * of their output-gradient rows over the run's entries (from uOff[entry], cnt of them) into uG
     * rows from g0 (stride cnt), then each synapse's taps reduced.
     */
    private void correlateRun(KernelOps ops, int i0, int rows, int entry, int g0, int cnt, float[] dOut, float[] src, float[] gw, float[] gd) {
        int len = steps * lanes, dStride = (maxDelay + steps) * lanes, taps = taps();
        Arrays.fill(uG, g0, g0 + rows * cnt, 0f);
        ops.correlate(rows, cnt, len, dOut, i0 * dStride, dStride, src, uOff, entry, uG, g0, cnt);
        for (int r = 0; r < rows; r++) {
            for (int p = cPtr[i0 + r]; p < cPtr[i0 + r + 1]; p++) reduceTaps(cSyn[p], uG, g0 + r * cnt + uIdx[p] * taps, gw, gd);
        }
    }

    /** gw and gd of gauss synapse s from its Td + 1 tap correlations g[g0 ..]. */
    private void reduceTaps(int s, float[] g, int g0, float[] gw, float[] gd) {
        int e0 = synEntry[s], taps = taps();
        double w = 0, dd = 0;
        for (int n = 0; n < taps; n++) {
            w += (double) g[g0 + n] * entK[e0 + n];
            dd += (double) g[g0 + n] * entDK[e0 + n];
        }
        gw[s] = (float) w;
        if (gd != null) gd[s] = (float) (dd * weight[s]);
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
            // postsynaptic rows share every load (the dense kernel's correlation).
            int cnt = pre * taps;
            if (denseOff.length != cnt) denseOff = new int[cnt];
            for (int j = 0; j < pre; j++) for (int n = 0; n < taps; n++) denseOff[j * taps + n] = j * srcStride + (maxDelay - n) * lanes;
            if (denseG.length < post * cnt) denseG = new float[post * cnt];
            float[] g = denseG;
            int[] offs = denseOff;
            Arrays.fill(g, 0, post * cnt, 0f);
            // chunks of whole 5-row blocks (correlate's widest register block), as in DenseSynapses
            par.range(post, 5, (lo, hi) -> {
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
