package org.myelin.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The base ({@code --release 17}) Vector API {@link WindowSynapses}: hidden neurons in blocks of 16
 * (one 512-bit register), vector blocks processed four at a time with their accumulators in
 * registers ({@link CellGroups}), as the JDK 25 class does. On JDK 25 the multi-release jar's
 * {@code Panama25WindowSynapses} replaces it: the native two-table permute is not reachable at
 * release 17.
 *
 * <p>For a group of up to four vector blocks, channel by channel in ascending order: the channel's
 * delay line (R ≤ 32 values from history position s + 1) is loaded into two registers, and for each
 * block of the group a precomputed permutation picks each neuron's delayed value (two
 * single-register rearranges and a blend by a precomputed mask: one cell), which is multiplied by
 * the cell's 16 weights (0 where a neuron has no synapse from that channel) and added to the block's
 * accumulator register. The neurons of scalar blocks run in {@link Lanes} (sixteen at a time,
 * sorted by synapse count). A block is a vector block when its cells cost less than its synapses:
 * {@code cells · CELL_COST < synapses · SYNAPSE_COST}, with the two costs measured on JDK 17
 * (BENCHMARKS.md). The split can be forced ({@link KernelProvider#windowSplit()}).
 *
 * <p>Both kinds sum each neuron's terms in ascending channel order with separate multiply and add,
 * and a padding lane adds 0·x = ±0 to its accumulator (x is finite: see {@link #push}), which
 * leaves it unchanged, so the result is bit-identical to the scalar reference.
 */
final class PanamaWindowSynapses extends WindowSynapses {
    static final VectorSpecies<Float> S16 = FloatVector.SPECIES_512;
    /**
     * Measured cost of one cell vs one synapse in lanes (ns, JDK 17, the benchmark machine:
     * BENCHMARKS.md, sessions 8 to 10; since session 10 the cells run in groups of four, 1.98 µs
     * for the paper's 640 cells, and a lane term takes 0.36–0.43 ns): a block is a vector block when
     * {@code cells · CELL_COST < synapses · SYNAPSE_COST}.
     */
    static final double CELL_COST = 3.1, SYNAPSE_COST = 0.4;

    private final CellGroups cells;
    /** Cell c's permutation (its 16 window positions mod 16) and which lanes take the upper register. */
    private final VectorShuffle<Float>[] shuffle;
    private final VectorMask<Float>[] high;
    /** The hidden neurons of the other blocks (none when every block is a vector block). */
    private final Lanes lanes;

    @SuppressWarnings("unchecked")
    PanamaWindowSynapses(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w, Split split) {
        super(inputs, hidden, maxDelay, ptr, pre, delay, w);
        if (maxDelay + 1 > WINDOW) throw new IllegalArgumentException("vector window synapses need Td + 1 ≤ " + WINDOW + ", got " + (maxDelay + 1));
        BlockPlan plan = new BlockPlan(this, split, CELL_COST, SYNAPSE_COST);
        cells = new CellGroups(this, plan);
        lanes = plan.scalarHidden == 0 ? null : new Lanes(this, offsets(), plan.scalarNeurons());
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

    /** Cell c's delayed values out of the channel's delay line (lo: positions 0..15, hi: 16..31). */
    private FloatVector pick(FloatVector lo, FloatVector hi, int c) {
        VectorShuffle<Float> s = shuffle[c];
        return lo.rearrange(s).blend(hi.rearrange(s), high[c]);
    }

    @Override
    void accumulateChecked(float[] hist, int slot, float[] in) {
        final CellGroups cg = cells;
        final int[] gp = cg.groupPtr, row = cg.entryRow, cell = cg.entryCell, acc = cg.groupAcc;
        final float[] wt = cg.w;
        final int s1 = slot + 1;
        for (int g = 0, ng = cg.groupSize.length; g < ng; g++) {
            int e = gp[g], end = gp[g + 1];
            int a = g * CellGroups.GROUP;
            if (cg.groupSize[g] == CellGroups.GROUP) {
                FloatVector a0 = FloatVector.zero(S16), a1 = a0, a2 = a0, a3 = a0;
                for (; e < end; e++) {
                    int base = row[e] + s1, c = cell[e], o = c * BLOCK;
                    FloatVector lo = FloatVector.fromArray(S16, hist, base);
                    FloatVector hi = FloatVector.fromArray(S16, hist, base + BLOCK);
                    a0 = a0.add(FloatVector.fromArray(S16, wt, o).mul(pick(lo, hi, c)));
                    a1 = a1.add(FloatVector.fromArray(S16, wt, o + BLOCK).mul(pick(lo, hi, c + 1)));
                    a2 = a2.add(FloatVector.fromArray(S16, wt, o + 2 * BLOCK).mul(pick(lo, hi, c + 2)));
                    a3 = a3.add(FloatVector.fromArray(S16, wt, o + 3 * BLOCK).mul(pick(lo, hi, c + 3)));
                }
                a0.intoArray(in, acc[a]);
                a1.intoArray(in, acc[a + 1]);
                a2.intoArray(in, acc[a + 2]);
                a3.intoArray(in, acc[a + 3]);
            } else {
                FloatVector a0 = FloatVector.zero(S16);
                for (; e < end; e++) {
                    int base = row[e] + s1, c = cell[e];
                    FloatVector lo = FloatVector.fromArray(S16, hist, base);
                    FloatVector hi = FloatVector.fromArray(S16, hist, base + BLOCK);
                    a0 = a0.add(FloatVector.fromArray(S16, wt, c * BLOCK).mul(pick(lo, hi, c)));
                }
                a0.intoArray(in, acc[a]);
            }
        }
        if (lanes != null) lanes.accumulate(hist, slot, in);
    }

    @Override
    int vectorBlocks() {
        return cells.blocks();
    }

    /** Number of cells, zero-weight ones of a group included. */
    int cells() {
        return cells.cells();
    }

    @Override
    public String describe() {
        return "vector-512 window: " + cells.describe() + ", "
                + (lanes == null ? "0 hidden neurons in scalar lanes" : lanes.describe()) + ", " + size() + " synapses";
    }
}
