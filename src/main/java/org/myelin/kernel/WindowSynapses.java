package org.myelin.kernel;

/**
 * The input → hidden synapses of a network advanced one time step at a time (the edge engine).
 * Every input channel carries an analog value at every step, so each step costs one multiply-add
 * per synapse: hidden neuron h receives {@code I_h[t] = Σ_j w_hj · x_j[t − d_hj]} with integer
 * delays 0 ≤ d ≤ Td. Immutable once built ({@link KernelOps#windowSynapses}); any number of
 * threads may share one instance, each with its own history and accumulator arrays.
 *
 * <p><b>History layout</b> (owned by the caller, {@link #historyLength()} floats, all zero at step
 * 0): channel-major, {@code [channel j][position p]} with row stride 2R (R = Td + 1 slots). Frame
 * t is written by {@link #push} at positions s and s + R of every row, s = t mod R, so a channel's
 * last R values lie contiguous and in time order from position s + 1: {@code x_j[t − d]} is at
 * {@code j·2R + s + R − d}. Keeping one channel's whole delay line in one short row is the point:
 * a vector implementation loads it into two registers once per step and picks each synapse's
 * delayed value with a lane permutation, instead of a memory gather per synapse (gathers are slower
 * than scalar loads on the CPUs measured, see BENCHMARKS.md). A 32-float window loaded from a row
 * may run into the next channel's row (those lanes are never selected); the array ends with 32
 * floats of padding so that the last row's window stays inside it.
 *
 * <p><b>Summation order</b>, the same in every implementation, so all give the same bits: for each
 * hidden neuron, from 0, ascending channel j, {@code acc = acc + w·x} with a separate multiply and
 * add (no fused multiply-add).
 */
public abstract class WindowSynapses {
    /** Hidden neurons per vector block (one 512-bit register of floats). */
    public static final int BLOCK = 16;
    /** Floats readable from any history position s + 1 (two blocks): bounds the row padding. */
    static final int WINDOW = 2 * BLOCK;

    /**
     * Which 16-neuron blocks of a vector implementation run as cells: by the implementation's
     * measured costs, or all / none (tests and comparisons: {@link KernelProvider#windowSplit()}).
     * Every split gives the same bits.
     */
    enum Split {
        COST, ALL_VECTOR, ALL_SCALAR;

        /** Whether a block with these cells and synapses runs as cells, at the given measured costs. */
        boolean vector(int cells, int synapses, double cellCost, double synapseCost) {
            return this == ALL_VECTOR || (this == COST && cells * cellCost < synapses * synapseCost);
        }
    }

    /**
     * How a vector implementation divides the hidden neurons: for each block of {@link #BLOCK}
     * neurons, the channels any of them listens to ({@code used[b][j]}; their count is the block's
     * cells) and whether it runs as cells; the other blocks' neurons run in {@link Lanes}.
     */
    static final class BlockPlan {
        final boolean[][] used;
        /** Indices of the blocks that run as cells, ascending. */
        final int[] vectorBlocks;
        /** Hidden neurons runs[2i] .. runs[2i+1]-1 are pulled by the scalar loop. */
        final int[] scalarRuns;
        /** Hidden neurons in the scalar runs. */
        final int scalarHidden;

        BlockPlan(WindowSynapses l, Split split, double cellCost, double synapseCost) {
            int nb = (l.nH + BLOCK - 1) / BLOCK;
            used = new boolean[nb][l.nIn];
            int[] cells = new int[nb], syn = new int[nb];
            for (int h = 0; h < l.nH; h++) {
                for (int k = l.ptr[h]; k < l.ptr[h + 1]; k++) {
                    if (!used[h / BLOCK][l.pre[k]]) {
                        used[h / BLOCK][l.pre[k]] = true;
                        cells[h / BLOCK]++;
                    }
                    syn[h / BLOCK]++;
                }
            }
            boolean[] vector = new boolean[nb];
            int nv = 0;
            int[] runs = new int[2 * nb];
            int nr = 0, pulled = 0;
            for (int b = 0; b < nb; b++) {
                vector[b] = split.vector(cells[b], syn[b], cellCost, synapseCost);
                if (vector[b]) {
                    nv++;
                } else {
                    int h0 = b * BLOCK, h1 = Math.min(l.nH, h0 + BLOCK);
                    pulled += h1 - h0;
                    if (nr > 0 && runs[nr - 1] == h0) runs[nr - 1] = h1;
                    else {
                        runs[nr++] = h0;
                        runs[nr++] = h1;
                    }
                }
            }
            vectorBlocks = new int[nv];
            for (int b = 0, v = 0; b < nb; b++) if (vector[b]) vectorBlocks[v++] = b;
            scalarRuns = java.util.Arrays.copyOf(runs, nr);
            scalarHidden = pulled;
        }

        /** The hidden neurons of the scalar runs, ascending. */
        int[] scalarNeurons() {
            int[] n = new int[scalarHidden];
            int q = 0;
            for (int r = 0; r < scalarRuns.length; r += 2) for (int h = scalarRuns[r]; h < scalarRuns[r + 1]; h++) n[q++] = h;
            return n;
        }
    }

    /**
     * The vector blocks of a {@link BlockPlan} as the vector implementations run them: in groups of
     * {@link #GROUP} consecutive vector blocks (then the rest one by one), each group's accumulators
     * kept in registers while it walks, in ascending order, the channels any of its blocks listens to
     * (its <i>entries</i>). An entry holds one <i>cell</i> per block of its group: the window
     * position 0..31 of each lane's delayed value and its weight, both 0 where the lane's neuron has
     * no synapse from that channel.
     *
     * <p><b>Layout.</b> Group g's entries are {@code groupPtr[g] .. groupPtr[g+1]-1} and its blocks'
     * first neurons {@code groupAcc[GROUP·g + i]}, i &lt; {@code groupSize[g]}; entry e reads the
     * history row starting at {@code entryRow[e]} (channel · 2R) and its cells are
     * {@code entryCell[e] + i}, i &lt; the group's size; cell c's 16 positions are
     * {@code pos[16c ..]} (one byte each: a step reads every cell's positions and weights once, so
     * their size bounds the layer's speed, BENCHMARKS.md session 10) and its weights
     * {@code w[16c ..]}.
     */
    static final class CellGroups {
        /** Vector blocks per group. */
        static final int GROUP = 4;
        final int[] groupPtr, groupAcc, groupSize, entryRow, entryCell;
        final byte[] pos;
        final float[] w;

        CellGroups(WindowSynapses l, BlockPlan plan) {
            boolean[][] used = plan.used;
            int[] vb = plan.vectorBlocks;
            java.util.List<int[]> groups = new java.util.ArrayList<>();
            int v = 0;
            for (; v + GROUP <= vb.length; v += GROUP) groups.add(java.util.Arrays.copyOfRange(vb, v, v + GROUP));
            for (; v < vb.length; v++) groups.add(new int[] {vb[v]});
            int ng = groups.size();
            groupPtr = new int[ng + 1];
            groupAcc = new int[ng * GROUP];
            groupSize = new int[ng];
            int entries = 0, cells = 0;
            for (int[] bl : groups) {
                for (int j = 0; j < l.nIn; j++) {
                    if (listens(used, bl, j)) {
                        entries++;
                        cells += bl.length;
                    }
                }
            }
            entryRow = new int[entries];
            entryCell = new int[entries];
            pos = new byte[cells * BLOCK];
            w = new float[cells * BLOCK];
            // each neuron's synapses in ascending channel: a cursor per neuron walks its CSR row
            int[] cursor = java.util.Arrays.copyOf(l.ptr, l.nH);
            int e = 0, c = 0;
            for (int g = 0; g < ng; g++) {
                int[] bl = groups.get(g);
                groupPtr[g] = e;
                groupSize[g] = bl.length;
                for (int i = 0; i < bl.length; i++) groupAcc[g * GROUP + i] = bl[i] * BLOCK;
                for (int j = 0; j < l.nIn; j++) {
                    if (!listens(used, bl, j)) continue;
                    entryRow[e] = j * l.stride;
                    entryCell[e] = c;
                    for (int b : bl) {
                        for (int lane = 0; lane < BLOCK && b * BLOCK + lane < l.nH; lane++) {
                            int h = b * BLOCK + lane, k = cursor[h];
                            if (k < l.ptr[h + 1] && l.pre[k] == j) {
                                pos[c * BLOCK + lane] = (byte) (l.slots - 1 - l.delay[k]);   // window position of x_j[t − d]
                                w[c * BLOCK + lane] = l.w[k];
                                cursor[h] = k + 1;
                            }
                        }
                        c++;
                    }
                    e++;
                }
            }
            groupPtr[ng] = e;
        }

        private static boolean listens(boolean[][] used, int[] blocks, int j) {
            for (int b : blocks) if (used[b][j]) return true;
            return false;
        }

        /** Vector blocks. */
        int blocks() {
            int n = 0;
            for (int size : groupSize) n += size;
            return n;
        }

        /** Cells, the zero-weight ones of a group included. */
        int cells() {
            return w.length / BLOCK;
        }

        /** For describe(): "V vector blocks (C cells, 4 blocks per group)". */
        String describe() {
            return blocks() + " vector blocks (" + cells() + " cells, " + GROUP + " blocks per group)";
        }
    }

    final int nIn, nH, slots, stride;
    /** Post-major CSR: synapses of hidden h are ptr[h] .. ptr[h+1]-1, ascending channel. */
    final int[] ptr, pre, delay;
    final float[] w;

    /**
     * Checks the arguments of {@link KernelOps#windowSynapses} and keeps copies of the arrays, so
     * the instance owns them.
     */
    WindowSynapses(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w) {
        if (inputs <= 0 || hidden <= 0) throw new IllegalArgumentException("window synapses: inputs and hidden must be positive, got " + inputs + " and " + hidden);
        if (maxDelay < 0) throw new IllegalArgumentException("window synapses: maxDelay must be ≥ 0, got " + maxDelay);
        if (ptr.length != hidden + 1) throw new IllegalArgumentException("window synapses: ptr needs hidden + 1 = " + (hidden + 1) + " entries, got " + ptr.length);
        int n = ptr[hidden];
        if (ptr[0] != 0 || n < 0 || pre.length < n || delay.length < n || w.length < n) {
            throw new IllegalArgumentException("window synapses: ptr must start at 0 and end at the synapse count (" + n + "), pre/delay/w at least that long");
        }
        for (int h = 0; h < hidden; h++) {
            if (ptr[h + 1] < ptr[h]) throw new IllegalArgumentException("window synapses: ptr decreases at hidden neuron " + h);
        }
        for (int h = 0; h < hidden; h++) {
            for (int k = ptr[h]; k < ptr[h + 1]; k++) {
                if (pre[k] < 0 || pre[k] >= inputs) throw new IllegalArgumentException("window synapses: synapse " + k + " of hidden " + h + ": channel " + pre[k] + " outside [0, " + inputs + ")");
                if (k > ptr[h] && pre[k] <= pre[k - 1]) throw new IllegalArgumentException("window synapses: hidden " + h + ": channels must ascend, synapse " + k + " has " + pre[k] + " after " + pre[k - 1]);
                if (delay[k] < 0 || delay[k] > maxDelay) throw new IllegalArgumentException("window synapses: synapse " + k + ": delay " + delay[k] + " outside [0, " + maxDelay + "]");
                if (!Float.isFinite(w[k])) throw new IllegalArgumentException("window synapses: synapse " + k + ": weight " + w[k] + " is not finite");
            }
        }
        this.nIn = inputs;
        this.nH = hidden;
        this.slots = maxDelay + 1;
        this.stride = 2 * slots;
        this.ptr = java.util.Arrays.copyOf(ptr, ptr.length);
        this.pre = java.util.Arrays.copyOf(pre, n);
        this.delay = java.util.Arrays.copyOf(delay, n);
        this.w = java.util.Arrays.copyOf(w, n);
    }

    /** Input channels. */
    public final int inputs() {
        return nIn;
    }

    /** Hidden neurons. */
    public final int hidden() {
        return nH;
    }

    /** Ring slots R = Td + 1: frame t goes to slot t mod R. */
    public final int slots() {
        return slots;
    }

    /** Synapses. */
    public final int size() {
        return ptr[nH];
    }

    /** Length of a history array (see the class comment). */
    public final int historyLength() {
        return nIn * stride + WINDOW;
    }

    /** Length of the accumulator array of {@link #accumulate}: {@code hidden()} rounded up to {@link #BLOCK}. */
    public final int accumulatorLength() {
        return (nH + BLOCK - 1) / BLOCK * BLOCK;
    }

    /**
     * Writes frame t (N_in values from {@code x[xOff]}) into the history at slot s = t mod R.
     * Allocates nothing. The values must be finite (the engine checks every frame first): a vector
     * block multiplies a neuron's unused lanes by 0, and 0·∞ would be NaN where the scalar path
     * has no term at all.
     *
     * @throws IllegalArgumentException when the slot is outside [0, R) or an array is too short
     */
    public final void push(float[] hist, int slot, float[] x, int xOff) {
        checkStep(hist, slot);
        if (xOff < 0 || xOff > x.length - nIn) {
            throw new IllegalArgumentException("frame: " + nIn + " values from offset " + xOff + " do not fit an array of " + x.length);
        }
        for (int j = 0, p = slot; j < nIn; j++, p += stride) {
            float v = x[xOff + j];
            hist[p] = v;
            hist[p + slots] = v;
        }
    }

    /**
     * The hidden input currents of step t, whose frame was the last one pushed at {@code slot}:
     * {@code in[h] = Σ_j w_hj · x_j[t − d_hj]} for h &lt; hidden(); entries from hidden() to
     * {@link #accumulatorLength()} are scratch. Allocates nothing.
     *
     * @throws IllegalArgumentException when the slot is outside [0, R) or an array is too short
     */
    public final void accumulate(float[] hist, int slot, float[] in) {
        checkStep(hist, slot);
        if (in.length < accumulatorLength()) {
            throw new IllegalArgumentException("accumulator: needs accumulatorLength() = " + accumulatorLength() + " floats, got " + in.length);
        }
        accumulateChecked(hist, slot, in);
    }

    /** {@link #accumulate} with the arguments checked. */
    abstract void accumulateChecked(float[] hist, int slot, float[] in);

    private void checkStep(float[] hist, int slot) {
        if (slot < 0 || slot >= slots) throw new IllegalArgumentException("slot " + slot + " outside [0, " + slots + ")");
        if (hist.length < historyLength()) {
            throw new IllegalArgumentException("history: needs historyLength() = " + historyLength() + " floats, got " + hist.length);
        }
    }

    /** Blocks of {@link #BLOCK} hidden neurons computed as vector cells (0 for the scalar pull and lanes). */
    int vectorBlocks() {
        return 0;
    }

    /** A short description of how the work is split (for logs and benchmarks). */
    public abstract String describe();

    /** The scalar pull of hidden neurons [h0, h1): the reference ({@link DefaultWindowSynapses}). */
    final void pull(float[] hist, int slot, float[] in, int h0, int h1, int[] off) {
        for (int h = h0; h < h1; h++) {
            float acc = 0f;
            for (int k = ptr[h], e = ptr[h + 1]; k < e; k++) acc = acc + w[k] * hist[slot + off[k]];
            in[h] = acc;
        }
    }

    /** Per-synapse history offsets relative to the slot: {@code j·2R + R − d}. */
    final int[] offsets() {
        int[] off = new int[size()];
        for (int k = 0; k < off.length; k++) off[k] = pre[k] * stride + slots - delay[k];
        return off;
    }
}
