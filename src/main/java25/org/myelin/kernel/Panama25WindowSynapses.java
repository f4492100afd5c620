package org.myelin.kernel;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The JDK 25 {@link WindowSynapses} (compiled {@code --release 25} into the multi-release jar's
 * {@code META-INF/versions/25}; {@link PanamaCellWindow}: cells in register groups of four blocks, lanes
 * for the rest). A cell picks each neuron's delayed value with one two-table permute
 * ({@code IntVector.selectFrom(lo, hi)}, the native {@code vpermi2d}, added in JDK 24) by its
 * window position 0..31, the cell's 16 positions read as bytes and widened.
 */
final class Panama25WindowSynapses extends PanamaCellWindow {
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

    Panama25WindowSynapses(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w, Split split) {
        super(inputs, hidden, maxDelay, ptr, pre, delay, w, split, CELL_COST, SYNAPSE_COST);
    }

    @Override
    FloatVector pick(FloatVector lo, FloatVector hi, int c) {
        IntVector p = (IntVector) ByteVector.fromArray(B, cells.pos, c * BLOCK).convertShape(VectorOperators.B2I, I, 0);
        return p.selectFrom(lo.reinterpretAsInts(), hi.reinterpretAsInts()).reinterpretAsFloats();
    }

    @Override
    public String describe() {
        return "vector-512 window, JDK 25 two-table permutes: " + describeSplit();
    }
}
