package org.myelin.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The JDK 25 {@link WindowSynapses} (compiled {@code --release 25} into the multi-release jar's
 * {@code META-INF/versions/25}): hidden neurons in blocks of 16 (one 512-bit register), vector
 * blocks processed four at a time with their accumulators in registers ({@link CellGroups}).
 *
 * <p>For a group of up to four vector blocks, channel by channel in ascending order: the channel's
 * delay line (R ≤ 32 values from history position s + 1) is loaded into two registers, and for each
 * block of the group one two-table permute ({@code IntVector.selectFrom(lo, hi)}, the native
 * {@code vpermi2d}, added in JDK 24) picks each neuron's delayed value by its window position 0..31
 * (a cell, its positions read as 16 bytes and widened); the cell's 16 weights multiply it and the
 * product is added to that block's accumulator register. After the last channel the accumulators
 * are stored. The neurons of scalar blocks run in {@link Lanes}.
 *
 * <p>Which blocks are vector blocks: {@code cells · CELL_COST < synapses · SYNAPSE_COST}, with the
 * two costs measured for this implementation on JDK 25 (BENCHMARKS.md), or forced
 * ({@link KernelProvider#windowSplit()}).
 *
 * <p><b>Same bits as the scalar reference.</b> Each neuron's terms are added in ascending channel
 * order with a separate multiply and add (a fused multiply-add would round once instead of twice
 * and change the last bit of most sums, so it is not used). Padding lanes and zero-weight cells add
 * 0·x = ±0 (x is finite: {@link #push}) to an accumulator that starts at +0 and is never −0, which
 * leaves it unchanged.
 */
final class Panama25WindowSynapses extends WindowSynapses {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    /** A cell's 16 window positions as bytes: one 128-bit load, widened to 16 ints. */
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    /**
     * Measured cost of one cell vs one synapse in lanes (ns, JDK 25, the benchmark machine:
     * BENCHMARKS.md, "cost split", sessions 8 to 10; a lane term 0.36–0.43 ns since the lanes run as
     * one loop, so the paper's layer at density 0.125 runs wholly in lanes, 0.57 µs against 0.79 as
     * cells; a cell 1.06 ns with byte positions, 0.68 µs for the dense layer's 640).
     */
    static final double CELL_COST = 1.1, SYNAPSE_COST = 0.4;

    private final CellGroups cells;
    /** The hidden neurons of the scalar blocks (null when there are none). */
    private final Lanes lanes;

    Panama25WindowSynapses(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w, Split split) {
        super(inputs, hidden, maxDelay, ptr, pre, delay, w);
        if (maxDelay + 1 > WINDOW) throw new IllegalArgumentException("vector window synapses need Td + 1 ≤ " + WINDOW + ", got " + (maxDelay + 1));
        BlockPlan plan = new BlockPlan(this, split, CELL_COST, SYNAPSE_COST);
        cells = new CellGroups(this, plan);
        lanes = plan.scalarHidden == 0 ? null : new Lanes(this, offsets(), plan.scalarNeurons());
    }

    /** The 16 window positions of cell c, widened from bytes to ints. */
    private static IntVector positions(byte[] p, int c) {
        return (IntVector) ByteVector.fromArray(B, p, c * BLOCK).convertShape(VectorOperators.B2I, I, 0);
    }

    @Override
    void accumulateChecked(float[] hist, int slot, float[] in) {
        final CellGroups cg = cells;
        final int[] gp = cg.groupPtr, row = cg.entryRow, cell = cg.entryCell, acc = cg.groupAcc;
        final byte[] p = cg.pos;
        final float[] wt = cg.w;
        final int s1 = slot + 1;
        for (int g = 0, ng = cg.groupSize.length; g < ng; g++) {
            int e = gp[g], end = gp[g + 1];
            int a = g * CellGroups.GROUP;
            if (cg.groupSize[g] == CellGroups.GROUP) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                for (; e < end; e++) {
                    int base = row[e] + s1, c = cell[e], o = c * BLOCK;
                    IntVector lo = FloatVector.fromArray(F, hist, base).reinterpretAsInts();
                    IntVector hi = FloatVector.fromArray(F, hist, base + BLOCK).reinterpretAsInts();
                    FloatVector x0 = positions(p, c).selectFrom(lo, hi).reinterpretAsFloats();
                    FloatVector x1 = positions(p, c + 1).selectFrom(lo, hi).reinterpretAsFloats();
                    FloatVector x2 = positions(p, c + 2).selectFrom(lo, hi).reinterpretAsFloats();
                    FloatVector x3 = positions(p, c + 3).selectFrom(lo, hi).reinterpretAsFloats();
                    a0 = a0.add(FloatVector.fromArray(F, wt, o).mul(x0));
                    a1 = a1.add(FloatVector.fromArray(F, wt, o + BLOCK).mul(x1));
                    a2 = a2.add(FloatVector.fromArray(F, wt, o + 2 * BLOCK).mul(x2));
                    a3 = a3.add(FloatVector.fromArray(F, wt, o + 3 * BLOCK).mul(x3));
                }
                a0.intoArray(in, acc[a]);
                a1.intoArray(in, acc[a + 1]);
                a2.intoArray(in, acc[a + 2]);
                a3.intoArray(in, acc[a + 3]);
            } else {
                FloatVector a0 = FloatVector.zero(F);
                for (; e < end; e++) {
                    int base = row[e] + s1, c = cell[e];
                    IntVector lo = FloatVector.fromArray(F, hist, base).reinterpretAsInts();
                    IntVector hi = FloatVector.fromArray(F, hist, base + BLOCK).reinterpretAsInts();
                    a0 = a0.add(FloatVector.fromArray(F, wt, c * BLOCK).mul(positions(p, c).selectFrom(lo, hi).reinterpretAsFloats()));
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
        return "vector-512 window, JDK 25 two-table permutes: " + cells.describe() + ", "
                + (lanes == null ? "0 hidden neurons in scalar lanes" : lanes.describe()) + ", " + size() + " synapses";
    }
}
