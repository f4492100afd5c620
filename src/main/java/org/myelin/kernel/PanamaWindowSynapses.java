package org.myelin.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The base ({@code --release 17}) Vector API {@link WindowSynapses}: hidden neurons in blocks of 16
 * (one 512-bit register). On JDK 25 the multi-release jar's {@code Panama25WindowSynapses} replaces
 * it (the native two-table permute is not reachable at release 17).
 *
 * <p>A <i>vector block</i> is processed channel by channel: channel j's delay line (R ≤ 32 values
 * from history position s + 1) is loaded into two registers once per step, and for every block
 * with synapses from j a precomputed permutation picks each neuron's delayed value
 * (two single-register rearranges and a blend by a precomputed mask: one "cell"), which is
 * multiplied by the cell's 16 weights (0 where a neuron has no synapse from j) and added to the
 * block's accumulators. A <i>scalar block</i>'s neurons run in {@link Lanes} (sixteen at a time,
 * sorted by synapse count).
 * A block is a vector block when its cells cost less than its synapses:
 * {@code cells · CELL_COST < synapses · SYNAPSE_COST}, with the two costs measured on JDK 17
 * (BENCHMARKS.md): dense layers go vector, blocks below about 60 % of the pairs run in lanes. The split
 * can be forced ({@link KernelProvider#windowSplit()}).
 *
 * <p>Both kinds sum each neuron's terms in ascending channel order with separate multiply and add,
 * and a padding lane adds 0·x = ±0 to its accumulator (x is finite: see {@link #push}), which
 * leaves it unchanged, so the result is bit-identical to the scalar reference.
 */
final class PanamaWindowSynapses extends WindowSynapses {
    static final VectorSpecies<Float> S16 = FloatVector.SPECIES_512;
    /**
     * Measured cost of one cell vs one synapse in lanes (ns, JDK 17, the benchmark machine:
     * BENCHMARKS.md, sessions 8 and 9: a lane term 0.41 ns since the lanes run as one loop): a
     * block is a vector block when {@code cells · CELL_COST < synapses · SYNAPSE_COST}.
     */
    static final double CELL_COST = 4.0, SYNAPSE_COST = 0.4;

    /** Cells of channel j: cellPtr[j] .. cellPtr[j+1]-1; cell c adds into in[cellAcc[c] .. +16). */
    private final int[] cellPtr, cellAcc;
    private final float[] cellW;
    private final VectorShuffle<Float>[] shuffle;
    private final VectorMask<Float>[] high;
    /** First accumulator of every vector block (zeroed each step). */
    private final int[] vectorBlocks;
    /** The hidden neurons of the other blocks (none when every block is a vector block). */
    private final Lanes lanes;

    @SuppressWarnings("unchecked")
    PanamaWindowSynapses(int inputs, int hidden, int maxDelay, int[] ptr, int[] pre, int[] delay, float[] w, Split split) {
        super(inputs, hidden, maxDelay, ptr, pre, delay, w);
        if (maxDelay + 1 > WINDOW) throw new IllegalArgumentException("vector window synapses need Td + 1 ≤ " + WINDOW + ", got " + (maxDelay + 1));
        int nb = (nH + BLOCK - 1) / BLOCK;
        BlockPlan plan = new BlockPlan(this, split, CELL_COST, SYNAPSE_COST);
        boolean[][] used = plan.used;
        boolean[] vec = plan.vector;
        int nCells = 0;
        for (int b : plan.vectorBlocks) nCells += plan.cells[b];
        vectorBlocks = new int[plan.vectorBlocks.length];
        for (int v = 0; v < vectorBlocks.length; v++) vectorBlocks[v] = plan.vectorBlocks[v] * BLOCK;
        lanes = plan.scalarHidden == 0 ? null : new Lanes(this, offsets(), plan.scalarNeurons());
        cellPtr = new int[nIn + 1];
        cellAcc = new int[nCells];
        cellW = new float[nCells * BLOCK];
        shuffle = new VectorShuffle[nCells];
        high = new VectorMask[nCells];
        // cells in channel order, blocks ascending within a channel
        int[] cursor = new int[nH];
        for (int h = 0; h < nH; h++) cursor[h] = this.ptr[h];
        int q = 0;
        int[] idx = new int[BLOCK];
        boolean[] hi = new boolean[BLOCK];
        for (int j = 0; j < nIn; j++) {
            cellPtr[j] = q;
            for (int b = 0; b < nb; b++) {
                if (!vec[b] || !used[b][j]) continue;
                cellAcc[q] = b * BLOCK;
                Arrays.fill(idx, 0);
                Arrays.fill(hi, false);
                for (int l = 0; l < BLOCK; l++) {
                    int h = b * BLOCK + l;
                    if (h >= nH) break;
                    int k = cursor[h];
                    if (k < this.ptr[h + 1] && this.pre[k] == j) {
                        int p = slots - 1 - this.delay[k];   // window position of x_j[t − d]
                        idx[l] = p & (BLOCK - 1);
                        hi[l] = p >= BLOCK;
                        cellW[q * BLOCK + l] = this.w[k];
                        cursor[h] = k + 1;
                    }
                }
                shuffle[q] = VectorShuffle.fromArray(S16, idx, 0);
                high[q] = VectorMask.fromArray(S16, hi, 0);
                q++;
            }
        }
        cellPtr[nIn] = q;
    }

    @Override
    void accumulateChecked(float[] hist, int slot, float[] in) {
        FloatVector zero = FloatVector.zero(S16);
        for (int a : vectorBlocks) zero.intoArray(in, a);
        for (int j = 0; j < nIn; j++) {
            int c = cellPtr[j], e = cellPtr[j + 1];
            if (c == e) continue;
            int base = j * stride + slot + 1;
            FloatVector lo = FloatVector.fromArray(S16, hist, base);
            FloatVector hi = FloatVector.fromArray(S16, hist, base + BLOCK);
            for (; c < e; c++) {
                VectorShuffle<Float> s = shuffle[c];
                FloatVector x = lo.rearrange(s).blend(hi.rearrange(s), high[c]);
                int a = cellAcc[c];
                FloatVector.fromArray(S16, in, a).add(FloatVector.fromArray(S16, cellW, c * BLOCK).mul(x)).intoArray(in, a);
            }
        }
        if (lanes != null) lanes.accumulate(hist, slot, in);
    }

    @Override
    int vectorBlocks() {
        return vectorBlocks.length;
    }

    /** Number of cells. */
    int cells() {
        return cellAcc.length;
    }

    @Override
    public String describe() {
        return "vector-512 window: " + vectorBlocks.length + " vector blocks (" + cellAcc.length + " cells), "
                + (lanes == null ? "0 hidden neurons in scalar lanes" : lanes.describe()) + ", " + size() + " synapses";
    }
}
