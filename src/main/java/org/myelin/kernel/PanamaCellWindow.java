package org.myelin.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the two Vector API {@link WindowSynapses} share: hidden neurons in blocks of 16 (one
 * 512-bit register), the vector blocks run in groups of four with their accumulators in registers
 * ({@link CellGroups}), the other neurons in {@link Lanes}. The two differ only in how a cell picks
 * its 16 delayed values out of a channel's delay line ({@link #pick}): the base class
 * ({@link PanamaWindowSynapses}, release 17) with two one-register rearranges and a blend, the
 * JDK 25 class of the multi-release jar with the native two-table permute. Each process loads one
 * of them, so the JIT inlines {@code pick} into the loop.
 *
 * <p>For a group, channel by channel in ascending order: the channel's delay line (R ≤ 32 values
 * from history position s + 1) is loaded into two registers, and for each block of the group its
 * cell's values are picked, multiplied by the cell's 16 weights (0 where a neuron has no synapse
 * from that channel) and added to the block's accumulator register. After the group's last
 * channel the accumulators are stored.
 *
 * <p>Which blocks are vector blocks: {@code cells · cellCost < synapses · synapseCost}, with the
 * two costs measured for each implementation (BENCHMARKS.md), or forced
 * ({@link KernelProvider#windowSplit()}).
 *
 * <p><b>Same bits as the scalar reference.</b> Each neuron's terms are added in ascending channel
 * order with a separate multiply and add (a fused multiply-add would round once instead of twice
 * and change the last bit of most sums, so it is not used). Padding lanes and zero-weight cells add
 * 0·x = ±0 (x is finite: {@link #push}) to an accumulator that starts at +0 and is never −0, which
 * leaves it unchanged.
 */
abstract class PanamaCellWindow extends WindowSynapses {
    static final VectorSpecies<Float> S16 = FloatVector.SPECIES_512;

    final CellGroups cells;
    /** The hidden neurons of the scalar blocks (null when there are none). */
    private final Lanes lanes;

    PanamaCellWindow(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w, Split split,
            double cellCost, double synapseCost) {
        super(inputs, hidden, maxDelay, ptr, pre, delay, w);
        if (maxDelay + 1 > WINDOW) throw new IllegalArgumentException("vector window synapses need Td + 1 ≤ " + WINDOW + ", got " + (maxDelay + 1));
        BlockPlan plan = new BlockPlan(this, split, cellCost, synapseCost);
        cells = new CellGroups(this, plan);
        lanes = plan.scalarHidden == 0 ? null : new Lanes(this, offsets(), plan.scalarNeurons());
    }

    /** Cell c's 16 delayed values out of a channel's delay line (lo: window positions 0..15, hi: 16..31). */
    abstract FloatVector pick(FloatVector lo, FloatVector hi, int c);

    @Override
    final void accumulateChecked(float[] hist, int slot, float[] in) {
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
    final int vectorBlocks() {
        return cells.blocks();
    }

    /** Number of cells, zero-weight ones of a group included. */
    final int cells() {
        return cells.cells();
    }

    /** For describe(): the cells and the lanes. */
    final String describeSplit() {
        return cells.describe() + ", " + (lanes == null ? "0 hidden neurons in scalar lanes" : lanes.describe()) + ", " + size() + " synapses";
    }
}
