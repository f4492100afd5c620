package org.myelin.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The engine's input layer, every implementation against an independent reference that keeps the
 * frames as a plain list and sums Σ_j w·x_j[t − d] in the documented order (ascending channel,
 * separate multiply and add). The order is part of the contract, so the comparison is bit for bit:
 * any error in the history layout (a wrong slot, an off-by-one in the delay) or in a permutation
 * changes a value, and a reordered sum changes the last bits of most of them.
 *
 * <p>Sizes: channels 1, 3, 17, 40; hidden 1, 15, 16, 17, 33, 64 (below, at and around the 16-neuron
 * block, and a partial last block); Td 0, 1, 15, 16 (the window's register boundary), 25, 31 (the
 * largest that fits two registers); densities 0.1, 0.5, 1; 3R + 5 steps so the ring wraps several
 * times. Every Vector API implementation of the JVM (the base one, and the JDK 25 one on JDK 25)
 * runs with every block forced vector, every block scalar, and the cost-based split.
 */
class WindowSynapsesTest {
    /** A random post-major layer: ptr, pre, delay, w. */
    record Layer(int nIn, int nH, int td, int[] ptr, int[] pre, int[] delay, float[] w) {}

    /** A random layer: hidden neuron h takes each channel with probability density(h). */
    static Layer layer(SplittableRandom r, int nIn, int nH, int td, java.util.function.IntToDoubleFunction density) {
        int[] ptr = new int[nH + 1];
        List<int[]> syn = new ArrayList<>();
        for (int h = 0; h < nH; h++) {
            for (int j = 0; j < nIn; j++) if (r.nextDouble() < density.applyAsDouble(h)) syn.add(new int[] {j, r.nextInt(td + 1)});
            ptr[h + 1] = syn.size();
        }
        int n = syn.size();
        int[] pre = new int[n], delay = new int[n];
        float[] w = new float[n];
        for (int k = 0; k < n; k++) {
            pre[k] = syn.get(k)[0];
            delay[k] = syn.get(k)[1];
            w[k] = (float) (r.nextDouble() * 2 - 1);
        }
        return new Layer(nIn, nH, td, ptr, pre, delay, w);
    }

    static Layer layer(SplittableRandom r, int nIn, int nH, int td, double density) {
        return layer(r, nIn, nH, td, h -> density);
    }

    /** Runs {@code steps} frames through ws and checks every step against the list reference. */
    static void check(WindowSynapses ws, Layer l, long seed, String what) {
        SplittableRandom r = new SplittableRandom(seed);
        int R = l.td + 1, steps = 3 * R + 5;
        float[] hist = new float[ws.historyLength()];
        float[] in = new float[ws.accumulatorLength()];
        assertTrue(in.length >= l.nH && in.length % WindowSynapses.BLOCK == 0, what + ": accumulator length");
        List<float[]> frames = new ArrayList<>();
        float[] x = new float[l.nIn + 3];
        for (int t = 0; t < steps; t++) {
            for (int q = 0; q < x.length; q++) x[q] = (float) r.nextGaussian();
            float[] frame = java.util.Arrays.copyOfRange(x, 2, 2 + l.nIn);
            frames.add(frame);
            int slot = t % R;
            ws.push(hist, slot, x, 2);
            // every in[h] must be written each step, a neuron without synapses too (not left over)
            java.util.Arrays.fill(in, Float.NaN);
            ws.accumulate(hist, slot, in);
            for (int h = 0; h < l.nH; h++) {
                float acc = 0f;
                for (int k = l.ptr[h]; k < l.ptr[h + 1]; k++) {
                    int src = t - l.delay[k];
                    float xv = src < 0 ? 0f : frames.get(src)[l.pre[k]];
                    acc = acc + l.w[k] * xv;
                }
                if (Float.floatToRawIntBits(acc) != Float.floatToRawIntBits(in[h])) {
                    fail(what + ": step " + t + ", hidden " + h + ": expected " + acc + ", got " + in[h]);
                }
            }
        }
    }

    /** Blocks of 16 hidden neurons alternately dense (all channels) and sparse (≈ 10 %). */
    static Layer mixedLayer(SplittableRandom r, int nIn, int nH, int td) {
        return layer(r, nIn, nH, td, h -> (h / 16) % 2 == 0 ? 1.0 : 0.1);
    }

    static final int[] INPUTS = {1, 3, 17, 40}, HIDDEN = {1, 15, 16, 17, 33, 64, 100}, DELAYS = {0, 1, 15, 16, 25, 31};
    static final double[] DENSITY = {0.1, 0.5, 1};

    @Test
    void scalarMatchesReference() {
        SplittableRandom r = new SplittableRandom(11);
        int cases = 0;
        for (int nIn : INPUTS) for (int nH : HIDDEN) for (int td : DELAYS) for (double d : DENSITY) {
            Layer l = layer(r, nIn, nH, td, d);
            check(KernelProvider.scalar().windowSynapses(nIn, nH, td, l.ptr, l.pre, l.delay, l.w), l, r.nextLong(),
                    "scalar " + nIn + "→" + nH + " Td " + td + " density " + d);
            cases++;
        }
        assertEquals(INPUTS.length * HIDDEN.length * DELAYS.length * DENSITY.length, cases);
    }

    @Test
    void vectorMatchesReferenceInEverySplit() {
        assumeTrue(KernelProvider.vectorAvailable(),
                "Vector API module absent in this JVM (the scalar surefire run): the vector window is tested in the vector runs");
        // every vector implementation of this JVM (panama17; panama25 on JDK 25), every split, at
        // any provider width (the cells use 512-bit vectors; emulated where not native: same bits)
        for (KernelOps impl : TestKernels.vectorImpls()) {
            SplittableRandom r = new SplittableRandom(12);
            long vectorCells = 0;
            for (int nIn : INPUTS) for (int nH : HIDDEN) for (int td : DELAYS) for (double d : DENSITY) {
                Layer l = layer(r, nIn, nH, td, d);
                long seed = r.nextLong();
                for (WindowSynapses.Split split : WindowSynapses.Split.values()) {
                    WindowSynapses ws = TestKernels.window(impl, nIn, nH, td, l.ptr, l.pre, l.delay, l.w, split);
                    check(ws, l, seed, impl.name() + " " + split + " " + nIn + "→" + nH + " Td " + td + " density " + d);
                    if (split == WindowSynapses.Split.ALL_VECTOR) {
                        assertTrue(ws.describe().contains(" 0 hidden neurons in scalar lanes"), ws.describe());
                        assertEquals((nH + 15) / 16, ws.vectorBlocks());
                        vectorCells += l.ptr[nH] == 0 ? 0 : 1;
                    }
                    if (split == WindowSynapses.Split.ALL_SCALAR) assertEquals(0, ws.vectorBlocks(), ws.describe());
                }
            }
            assertTrue(vectorCells > 300, impl.name() + ": layers with synapses run as cells: " + vectorCells);
            // blocks of 16 alternately dense (all channels) and sparse (≈ 10 %): the cost split
            // decides block by block as the implementation's measured costs say, and a mix of vector
            // blocks and scalar runs in one accumulate gives the same bits
            Layer mixed = mixedLayer(r, 40, 16 * 7 + 5, 25);
            WindowSynapses mw = TestKernels.window(impl, 40, mixed.nH, 25, mixed.ptr, mixed.pre, mixed.delay, mixed.w, WindowSynapses.Split.COST);
            assertEquals(expectedVectorBlocks(impl, mixed), mw.vectorBlocks(), mw.describe());
            assertTrue(mw.vectorBlocks() >= 4, "the 4 dense blocks go vector: " + mw.describe());
            check(mw, mixed, 99, impl.name() + " mixed blocks");
        }
    }

    /** The vector blocks impl's cost split should choose for l (its measured costs, block by block). */
    static int expectedVectorBlocks(KernelOps impl, Layer l) {
        int nb = (l.nH + 15) / 16, n = 0;
        for (int b = 0; b < nb; b++) {
            java.util.Set<Integer> ch = new java.util.HashSet<>();
            int syn = 0;
            for (int h = b * 16; h < Math.min(l.nH, b * 16 + 16); h++) {
                for (int k = l.ptr[h]; k < l.ptr[h + 1]; k++) {
                    ch.add(l.pre[k]);
                    syn++;
                }
            }
            if (TestKernels.costSaysVector(impl, ch.size(), syn)) n++;
        }
        return n;
    }

    /**
     * The lanes (what the vector implementations run outside cells, and at every width below 512
     * bits) against the reference over the awkward sizes, plus layers whose neurons have very
     * different synapse counts (the sort and the padding), no synapses at all, and −0 weights.
     * Plain Java: runs in every surefire pass.
     */
    @Test
    void lanesMatchReference() {
        SplittableRandom r = new SplittableRandom(15);
        int cases = 0;
        for (int nIn : INPUTS) for (int nH : HIDDEN) for (int td : DELAYS) for (double d : DENSITY) {
            Layer l = layer(r, nIn, nH, td, d);
            WindowSynapses ws = new LaneWindowSynapses(nIn, nH, td, l.ptr, l.pre, l.delay, l.w);
            assertTrue(ws.describe().startsWith("scalar lanes: " + nH + " hidden neurons"), ws.describe());
            check(ws, l, r.nextLong(), "lanes " + nIn + "→" + nH + " Td " + td + " density " + d);
            cases++;
        }
        // counts from 0 to all 40 channels in one layer (neuron h: density h / 50), 50 neurons: three
        // full groups and a partial one whose empty lanes repeat a neuron
        Layer ragged = layer(r, 40, 50, 25, h -> h / 50.0);
        check(new LaneWindowSynapses(40, 50, 25, ragged.ptr, ragged.pre, ragged.delay, ragged.w), ragged, 7, "lanes, ragged counts");
        // −0 weights: a sum of −0 products must come out +0 as in the reference, padding or not
        Layer neg = layer(r, 17, 33, 16, 0.3);
        for (int k = 0; k < neg.w.length; k += 2) neg.w[k] = -0f;
        check(new LaneWindowSynapses(17, 33, 16, neg.ptr, neg.pre, neg.delay, neg.w), neg, 8, "lanes, −0 weights");
        Layer none = layer(r, 5, 17, 3, 0);
        check(new LaneWindowSynapses(5, 17, 3, none.ptr, none.pre, none.delay, none.w), none, 9, "lanes, no synapses");
        assertEquals(INPUTS.length * HIDDEN.length * DELAYS.length * DENSITY.length, cases);
    }

    @Test
    void providerWindowFollowsWidthAndCost() {
        assumeTrue(KernelProvider.vectorAvailable(),
                "Vector API module absent in this JVM (the scalar surefire run): the provider's vector choices are tested in the vector runs");
        SplittableRandom r = new SplittableRandom(13);
        Layer dense = layer(r, 40, 64, 25, 1), sparse = layer(r, 40, 64, 25, 0.125);
        for (KernelOps impl : TestKernels.vectorImpls()) {
            WindowSynapses d = impl.windowSynapses(40, 64, 25, dense.ptr, dense.pre, dense.delay, dense.w);
            WindowSynapses s = impl.windowSynapses(40, 64, 25, sparse.ptr, sparse.pre, sparse.delay, sparse.w);
            if (KernelProvider.vectorBits() >= 512) {
                // a dense layer goes vector; a sparse one as the measured costs say
                assertEquals(4, d.vectorBlocks(), d.describe());
                int es = expectedVectorBlocks(impl, sparse);
                assertEquals(es, s.vectorBlocks(), s.describe());
                if (es == 0) assertTrue(s.describe().startsWith("scalar lanes: 64 hidden neurons"), s.describe());
            } else {
                // narrower vectors cannot hold 16 neurons per register: scalar lanes, as on a CPU without AVX-512
                assertTrue(d.describe().startsWith("scalar lanes: 64 hidden neurons"), KernelProvider.vectorBits() + " bits: " + d.describe());
                assertTrue(s.describe().startsWith("scalar lanes: 64 hidden neurons"), KernelProvider.vectorBits() + " bits: " + s.describe());
            }
            check(d, dense, 3, impl.name() + " provider's dense layer");
            check(s, sparse, 4, impl.name() + " provider's sparse layer");
        }
    }

    @Test
    void longDelayLineFallsBackToScalarPull() {
        // Td + 1 > 32 does not fit two registers: the scalar reference pulls, the vector implementations use lanes
        SplittableRandom r = new SplittableRandom(14);
        Layer longLine = layer(r, 5, 20, 40, 1);
        for (KernelOps impl : KernelProvider.available()) {
            WindowSynapses fallback = impl.windowSynapses(5, 20, 40, longLine.ptr, longLine.pre, longLine.delay, longLine.w);
            String expected = impl == KernelProvider.scalar() ? "scalar pull" : "scalar lanes: 20 hidden neurons";
            assertTrue(fallback.describe().startsWith(expected), impl.name() + ": " + fallback.describe());
            check(fallback, longLine, 5, impl.name() + " fallback Td 40");
        }
    }

    @Test
    void badArgumentsNameTheSynapse() {
        KernelOps k = KernelProvider.get();
        int[] ptr = {0, 2, 3};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> k.windowSynapses(4, 2, 5, ptr, new int[] {0, 3, 1}, new int[] {0, 6, 1}, new float[] {1, 1, 1}));
        assertTrue(e.getMessage().contains("synapse 1") && e.getMessage().contains("delay 6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> k.windowSynapses(4, 2, 5, ptr, new int[] {2, 1, 1}, new int[] {0, 0, 1}, new float[] {1, 1, 1}));
        assertTrue(e.getMessage().contains("channels must ascend"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> k.windowSynapses(4, 2, 5, ptr, new int[] {0, 4, 1}, new int[] {0, 0, 1}, new float[] {1, 1, 1}));
        assertTrue(e.getMessage().contains("channel 4 outside [0, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> k.windowSynapses(4, 3, 5, ptr, new int[] {0, 1, 1}, new int[] {0, 0, 1}, new float[] {1, 1, 1}));
        assertTrue(e.getMessage().contains("ptr needs hidden + 1 = 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> k.windowSynapses(4, 2, 5, ptr, new int[] {0, 1, 1}, new int[] {0, 0, 1}, new float[] {1, Float.NaN, 1}));
        assertTrue(e.getMessage().contains("synapse 1: weight NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> k.windowSynapses(4, 2, 5, new int[] {0, 100, 3}, new int[] {0, 1, 2}, new int[] {0, 0, 1}, new float[] {1, 1, 1}));
        assertTrue(e.getMessage().contains("ptr decreases at hidden neuron 1"), e.getMessage());
        // per-step arguments: slot and array lengths, checked before anything is written
        WindowSynapses ws = k.windowSynapses(4, 2, 5, ptr, new int[] {0, 1, 1}, new int[] {0, 0, 1}, new float[] {1, 1, 1});
        float[] hist = new float[ws.historyLength()], in = new float[ws.accumulatorLength()], frame = {1, 2, 3, 4};
        e = assertThrows(IllegalArgumentException.class, () -> ws.push(hist, 6, frame, 0));
        assertTrue(e.getMessage().contains("slot 6 outside [0, 6)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ws.accumulate(hist, -1, in));
        assertTrue(e.getMessage().contains("slot -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ws.push(new float[10], 0, frame, 0));
        assertTrue(e.getMessage().contains("historyLength() = " + ws.historyLength()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ws.push(hist, 0, frame, 1));
        assertTrue(e.getMessage().contains("4 values from offset 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ws.accumulate(hist, 0, new float[2]));
        assertTrue(e.getMessage().contains("accumulatorLength() = 16"), e.getMessage());
        assertTrue(java.util.Arrays.equals(hist, new float[hist.length]), "a refused push wrote nothing");
    }
}
