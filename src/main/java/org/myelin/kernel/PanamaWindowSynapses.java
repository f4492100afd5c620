package org.myelin.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * The base ({@code --release 17}) Vector API {@link WindowSynapses} ({@link PanamaCellWindow}: cells in
 * register groups of four blocks, lanes for the rest). A cell picks each neuron's delayed value with
 * two single-register rearranges and a blend by a precomputed mask, both derived from the cell's
 * window positions. On JDK 25 the multi-release jar's {@code Panama25WindowSynapses} replaces it:
 * the native two-table permute is not reachable at release 17 (and on JDK 17
 * {@code IntVector.selectFrom} or the two-vector {@code rearrange} allocate: BENCHMARKS.md,
 * session 10).
 */
final class PanamaWindowSynapses extends PanamaCellWindow {
    /**
     * Measured cost of one cell vs one synapse in lanes (ns, JDK 17, the benchmark machine:
     * BENCHMARKS.md, sessions 8 to 10; since session 10 the cells run in groups of four, 1.98 µs
     * for the paper's 640 cells, and a lane term takes 0.36–0.43 ns): a block is a vector block when
     * {@code cells · CELL_COST < synapses · SYNAPSE_COST}.
     */
    static final double CELL_COST = 3.1, SYNAPSE_COST = 0.4;

    /** Cell c's permutation (its 16 window positions mod 16) and which lanes take the upper register. */
    private final VectorShuffle<Float>[] shuffle;
    private final VectorMask<Float>[] high;

    @SuppressWarnings("unchecked")
    PanamaWindowSynapses(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w, Split split) {
        super(inputs, hidden, maxDelay, ptr, pre, delay, w, split, CELL_COST, SYNAPSE_COST);
        int n = cells.cells();
        shuffle = new VectorShuffle[n];
        high = new VectorMask[n];
        int[] idx = new int[BLOCK];
        boolean[] hi = new boolean[BLOCK];
        for (int c = 0; c < n; c++) {
            for (int l = 0; l < BLOCK; l++) {
                int p = cells.pos[c * BLOCK + l];
                idx[l] = p & (BLOCK - 1);
                hi[l] = p >= BLOCK;
            }
            shuffle[c] = VectorShuffle.fromArray(S16, idx, 0);
            high[c] = VectorMask.fromArray(S16, hi, 0);
        }
    }

    @Override
    FloatVector pick(FloatVector lo, FloatVector hi, int c) {
        VectorShuffle<Float> s = shuffle[c];
        return lo.rearrange(s).blend(hi.rearrange(s), high[c]);
    }

    @Override
    public String describe() {
        return "vector-512 window: " + describeSplit();
    }
}
