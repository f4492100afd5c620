package org.myelin.kernel;

import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The JDK 25 {@link WindowSynapses} (compiled {@code --release 25} into the multi-release jar's
 * {@code META-INF/versions/25}): hidden neurons in blocks of 16 (one 512-bit register), vector
 * blocks processed four at a time with their accumulators in registers.
 *
 * <p>For a group of up to four vector blocks, channel by channel in ascending order: the channel's
 * delay line (R ≤ 32 values from history position s + 1) is loaded into two registers, and for each
 * block of the group one two-table permute ({@code IntVector.selectFrom(lo, hi)}, the native
 * {@code vpermi2d}, added in JDK 24) picks each neuron's delayed value by its precomputed window
 * position 0..31 (a "cell"); the cell's 16 weights multiply it and the product is added to that
 * block's accumulator register. A group lists the channels any of its blocks listens to; a block
 * that does not listen to one of them has a cell of zero weights there. After the last channel the
 * four accumulators are stored. Remaining vector blocks (fewer than four) run one at a time in the
 * same way; the neurons of scalar blocks run in {@link Lanes}.
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
    /** Vector blocks per group (accumulators kept in registers across a group's channels). */
    static final int GROUP = 4;
    /**
     * Measured cost of one cell vs one synapse in lanes (ns, JDK 25, the benchmark machine:
     * BENCHMARKS.md, "cost split", sessions 8 and 9; a lane term 0.41 ns since the lanes run as one
     * loop, so the paper's layer at density 0.125 runs wholly in lanes, 10 % faster than with its
     * one 37-cell block).
     */
    static final double CELL_COST = 1.1, SYNAPSE_COST = 0.4;

    /** Entries of group g: groupPtr[g] .. groupPtr[g+1]-1; group g's blocks start at the accumulators groupAcc[GROUP·g ..]. */
    private final int[] groupPtr, groupAcc, groupSize;
    /** Entry e: history row start (channel · 2R) and the first of its cells in pos / cw (16 floats per cell, one cell per block of the group). */
    private final int[] entryRow, entryCell;
    /**
     * Window position 0..31 of each lane of each cell, one byte a lane (16 bytes a cell, beside the
     * cell's 16 weights in {@code cw}). Bytes, not ints: a step reads every cell's positions and
     * weights once, 80 KB at the paper's layer as ints, which does not fit the first-level cache and
     * bounds the layer's speed; as bytes it is 50 KB (BENCHMARKS.md, session 10).
     */
    private final byte[] pos;
    private final float[] cw;
    /** The hidden neurons of the scalar blocks (null when there are none). */
    private final Lanes lanes;
    private final int nVector, nCells;

    Panama25WindowSynapses(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w, Split split) {
        super(inputs, hidden, maxDelay, ptr, pre, delay, w);
        if (maxDelay + 1 > WINDOW) throw new IllegalArgumentException("vector window synapses need Td + 1 ≤ " + WINDOW + ", got " + (maxDelay + 1));
        BlockPlan plan = new BlockPlan(this, split, CELL_COST, SYNAPSE_COST);
        boolean[][] used = plan.used;
        int[] vb = plan.vectorBlocks;
        nVector = vb.length;
        lanes = plan.scalarHidden == 0 ? null : new Lanes(this, offsets(), plan.scalarNeurons());
        // groups: GROUP consecutive vector blocks, then the rest one by one
        List<int[]> groups = new ArrayList<>();
        int v = 0;
        for (; v + GROUP <= nVector; v += GROUP) groups.add(new int[] {vb[v], vb[v + 1], vb[v + 2], vb[v + 3]});
        for (; v < nVector; v++) groups.add(new int[] {vb[v]});
        int ng = groups.size();
        groupPtr = new int[ng + 1];
        groupAcc = new int[ng * GROUP];
        groupSize = new int[ng];
        int entries = 0, cellCount = 0;
        for (int g = 0; g < ng; g++) {
            int[] bl = groups.get(g);
            for (int j = 0; j < nIn; j++) {
                boolean any = false;
                for (int b : bl) any |= used[b][j];
                if (any) {
                    entries++;
                    cellCount += bl.length;
                }
            }
        }
        entryRow = new int[entries];
        entryCell = new int[entries];
        pos = new byte[cellCount * BLOCK];
        cw = new float[cellCount * BLOCK];
        nCells = cellCount;
        // each neuron's synapses in ascending channel: a cursor per neuron walks its CSR row
        int[] cursor = new int[nH];
        for (int h = 0; h < nH; h++) cursor[h] = this.ptr[h];
        int e = 0, c = 0;
        for (int g = 0; g < ng; g++) {
            int[] bl = groups.get(g);
            groupPtr[g] = e;
            groupSize[g] = bl.length;
            for (int i = 0; i < bl.length; i++) groupAcc[g * GROUP + i] = bl[i] * BLOCK;
            for (int j = 0; j < nIn; j++) {
                boolean any = false;
                for (int b : bl) any |= used[b][j];
                if (!any) continue;
                entryRow[e] = j * stride;
                entryCell[e] = c * BLOCK;
                for (int b : bl) {
                    for (int l = 0; l < BLOCK; l++) {
                        int h = b * BLOCK + l;
                        if (h >= nH) break;
                        int k = cursor[h];
                        if (k < this.ptr[h + 1] && this.pre[k] == j) {
                            pos[c * BLOCK + l] = (byte) (slots - 1 - this.delay[k]);   // window position of x_j[t − d], < 32
                            cw[c * BLOCK + l] = this.w[k];
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

    @Override
    void accumulateChecked(float[] hist, int slot, float[] in) {
        final int[] gp = groupPtr, row = entryRow, cell = entryCell;
        final byte[] p = pos;
        final float[] wt = cw;
        final int s1 = slot + 1;
        for (int g = 0, ng = groupSize.length; g < ng; g++) {
            int e = gp[g], end = gp[g + 1];
            int a = g * GROUP;
            if (groupSize[g] == GROUP) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                for (; e < end; e++) {
                    int base = row[e] + s1, o = cell[e];
                    IntVector lo = FloatVector.fromArray(F, hist, base).reinterpretAsInts();
                    IntVector hi = FloatVector.fromArray(F, hist, base + BLOCK).reinterpretAsInts();
                    FloatVector x0 = positions(p, o).selectFrom(lo, hi).reinterpretAsFloats();
                    FloatVector x1 = positions(p, o + BLOCK).selectFrom(lo, hi).reinterpretAsFloats();
                    FloatVector x2 = positions(p, o + 2 * BLOCK).selectFrom(lo, hi).reinterpretAsFloats();
                    FloatVector x3 = positions(p, o + 3 * BLOCK).selectFrom(lo, hi).reinterpretAsFloats();
                    a0 = a0.add(FloatVector.fromArray(F, wt, o).mul(x0));
                    a1 = a1.add(FloatVector.fromArray(F, wt, o + BLOCK).mul(x1));
                    a2 = a2.add(FloatVector.fromArray(F, wt, o + 2 * BLOCK).mul(x2));
                    a3 = a3.add(FloatVector.fromArray(F, wt, o + 3 * BLOCK).mul(x3));
                }
                a0.intoArray(in, groupAcc[a]);
                a1.intoArray(in, groupAcc[a + 1]);
                a2.intoArray(in, groupAcc[a + 2]);
                a3.intoArray(in, groupAcc[a + 3]);
            } else {
                FloatVector a0 = FloatVector.zero(F);
                for (; e < end; e++) {
                    int base = row[e] + s1, o = cell[e];
                    IntVector lo = FloatVector.fromArray(F, hist, base).reinterpretAsInts();
                    IntVector hi = FloatVector.fromArray(F, hist, base + BLOCK).reinterpretAsInts();
                    a0 = a0.add(FloatVector.fromArray(F, wt, o).mul(positions(p, o).selectFrom(lo, hi).reinterpretAsFloats()));
                }
                a0.intoArray(in, groupAcc[a]);
            }
        }
        if (lanes != null) lanes.accumulate(hist, slot, in);
    }

    /** The 16 window positions of the cell at {@code o}, widened from bytes to ints. */
    private static IntVector positions(byte[] p, int o) {
        return (IntVector) ByteVector.fromArray(B, p, o).convertShape(VectorOperators.B2I, I, 0);
    }

    @Override
    int vectorBlocks() {
        return nVector;
    }

    /** Number of cells, zero-weight ones of a group included. */
    int cells() {
        return nCells;
    }

    @Override
    public String describe() {
        return "vector-512 window, JDK 25 two-table permutes: " + nVector + " vector blocks (" + nCells + " cells, " + GROUP + " blocks per group), "
                + (lanes == null ? "0 hidden neurons in scalar lanes" : lanes.describe()) + ", " + size() + " synapses";
    }
}
