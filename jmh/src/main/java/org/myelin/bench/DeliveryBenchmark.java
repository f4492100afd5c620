package org.myelin.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The edge step's hidden → output spike delivery alone, in three designs, to decide whether the
 * engine's scalar push (CompiledNetwork step 3) is worth replacing (issue 14: the delivery is the
 * largest part of the JDK 25 dense step beyond the input layer and LIF, which the C probe covers).
 *
 * <p>One benchmark call is one step of the paper's output layer (256 hidden → 20 outputs, Td = 25,
 * R = 26 ring slots): the neurons that fired at this step (a fixed, seeded sequence of fired lists
 * with the engine's measured hidden spike rate, {@link #rate}) each add their weights into the
 * ring slot (t + d) of their targets, then the readout takes and clears slot t of every output.
 *
 * <ul>
 *   <li>{@code scalar}: the engine's form — slot-major ring {@code r[slot·N_out + k]}, per synapse a
 *       precomputed offset d·N_out + k, a branch-free wrap, one scalar read-modify-write;</li>
 *   <li>{@code scalar2r}: the same with a ring of 2R slots, so slot + d never wraps; at the start of
 *       each cycle of R steps the upper R slots (what the last cycle wrote past its end) move to
 *       the lower ones, so each cell still sums in time order — the wrap's three operations per
 *       synapse traded for a copy of R·N_out floats every R steps;</li>
 *   <li>{@code scatter}: target-major ring {@code r[k·R2 + slot]} (R2 = 2R, moved as above), each
 *       fired neuron's synapses padded to whole vectors (padding lanes point at a dump area with
 *       weight 0), gathered, added and scattered with the Vector API at the preferred width.
 *       Targets of one neuron are distinct, so no lane conflicts; the adds into one target keep
 *       ascending neuron order, so all three give the same bits (checked in setup).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DeliveryBenchmark {
    static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Integer> IS = IntVector.SPECIES_PREFERRED;

    @Param({"scalar", "scalar2r", "scatter"})
    public String impl;

    /** Fraction of hidden neurons firing per step (StreamStepBenchmark prints 0.077 dense). */
    @Param({"0.077"})
    public double rate;

    @Param({"1"})
    public double density;

    static final int NH = 256, NOUT = 20, TD = 25, R = TD + 1, STEPS = 4096;
    int[] rowPtr, off, pre, del, tgt;
    float[] w;
    int[][] fired;
    float[] ring, out;
    // scatter form: per neuron, lanes-padded target-major offsets k·R2 + d and weights
    int[] vPtr, vOff;
    float[] vW;
    int t;

    @Setup
    public void setUp() {
        build();
        float[] a = run("scalar"), b = run("scalar2r"), c = run("scatter");
        for (int q = 0; q < a.length; q++) {
            if (Float.floatToIntBits(a[q]) != Float.floatToIntBits(b[q]) || Float.floatToIntBits(a[q]) != Float.floatToIntBits(c[q])) {
                throw new IllegalStateException("designs differ at " + q + ": " + a[q] + " " + b[q] + " " + c[q]);
            }
        }
        reset();
    }

    void build() {
        SplittableRandom r = new SplittableRandom(42);
        rowPtr = new int[NH + 1];
        int[] o = new int[NH * NOUT], dd = new int[NH * NOUT], kk = new int[NH * NOUT];
        float[] ww = new float[NH * NOUT];
        int n = 0;
        for (int h = 0; h < NH; h++) {
            rowPtr[h] = n;
            for (int k = 0; k < NOUT; k++) {
                if (r.nextDouble() >= density) continue;
                int d = r.nextInt(TD + 1);
                o[n] = d * NOUT + k;
                dd[n] = d;
                kk[n] = k;
                ww[n] = (float) ((r.nextDouble() * 2 - 1) * Math.sqrt(6.0 / NH));
                n++;
            }
        }
        rowPtr[NH] = n;
        off = java.util.Arrays.copyOf(o, n);
        del = java.util.Arrays.copyOf(dd, n);
        tgt = java.util.Arrays.copyOf(kk, n);
        w = java.util.Arrays.copyOf(ww, n);
        int L = IS.length(), R2 = 2 * R, dump = NOUT * R2;
        vPtr = new int[NH + 1];
        for (int h = 0; h < NH; h++) vPtr[h + 1] = vPtr[h] + (rowPtr[h + 1] - rowPtr[h] + L - 1) / L * L;
        vOff = new int[vPtr[NH]];
        vW = new float[vPtr[NH]];
        for (int h = 0; h < NH; h++) {
            int q = vPtr[h];
            for (int s = rowPtr[h]; s < rowPtr[h + 1]; s++, q++) {
                vOff[q] = tgt[s] * R2 + del[s];
                vW[q] = w[s];
            }
            for (int lane = 0; q < vPtr[h + 1]; q++, lane++) {
                vOff[q] = dump + lane; // each padding lane its own dump cell: no conflicts; slot added keeps it < dump + L + R2
                vW[q] = 0f;
            }
        }
        fired = new int[STEPS][];
        int[] buf = new int[NH];
        for (int s = 0; s < STEPS; s++) {
            int m = 0;
            for (int h = 0; h < NH; h++) if (r.nextDouble() < rate) buf[m++] = h;
            fired[s] = java.util.Arrays.copyOf(buf, m);
        }
        out = new float[NOUT];
    }

    void reset() {
        ring = new float[impl.equals("scalar") ? R * NOUT : impl.equals("scalar2r") ? 2 * R * NOUT : NOUT * 2 * R + IS.length() + 2 * R];
        t = 0;
    }

    /** All STEPS steps of one design; returns the concatenated readouts of the last 100 steps. */
    float[] run(String design) {
        String keep = impl;
        impl = design;
        reset();
        float[] acc = new float[100 * NOUT];
        for (int s = 0; s < STEPS; s++) {
            step();
            if (s >= STEPS - 100) System.arraycopy(out, 0, acc, (s - (STEPS - 100)) * NOUT, NOUT);
        }
        impl = keep;
        return acc;
    }

    @Benchmark
    public float step() {
        switch (impl) {
            case "scalar" -> scalar();
            case "scalar2r" -> scalar2r();
            default -> scatter();
        }
        return out[0];
    }

    void scalar() {
        int slot = t % R;
        int[] f = fired[t % STEPS];
        float[] r2 = ring;
        int len = r2.length, base = slot * NOUT;
        for (int h : f) {
            for (int s = rowPtr[h], e = rowPtr[h + 1]; s < e; s++) {
                int q = base + off[s];
                q -= len & ((len - 1 - q) >> 31);
                r2[q] += w[s];
            }
        }
        for (int k = 0; k < NOUT; k++) {
            out[k] = r2[base + k];
            r2[base + k] = 0f;
        }
        t++;
    }

    void scalar2r() {
        int slot = t % R;
        int[] f = fired[t % STEPS];
        float[] r2 = ring;
        if (slot == 0) {
            // a new cycle: the upper half holds what the last cycle wrote past its end (older
            // than anything this cycle will add), so it becomes the start of every cell
            System.arraycopy(r2, R * NOUT, r2, 0, R * NOUT);
            java.util.Arrays.fill(r2, R * NOUT, 2 * R * NOUT, 0f);
        }
        int base = slot * NOUT;
        for (int h : f) {
            for (int s = rowPtr[h], e = rowPtr[h + 1]; s < e; s++) r2[base + off[s]] += w[s];
        }
        for (int k = 0; k < NOUT; k++) {
            out[k] = r2[base + k];
            r2[base + k] = 0f;
        }
        t++;
    }

    void scatter() {
        int slot = t % R;
        int[] f = fired[t % STEPS];
        float[] r2 = ring;
        int L = IS.length(), R2 = 2 * R;
        if (slot == 0) {
            for (int k = 0; k < NOUT; k++) {
                System.arraycopy(r2, k * R2 + R, r2, k * R2, R);
                java.util.Arrays.fill(r2, k * R2 + R, k * R2 + R2, 0f);
            }
        }
        IntVector sv = IntVector.broadcast(IS, slot);
        int[] idx = scratchIdx;
        for (int h : f) {
            for (int q = vPtr[h], e = vPtr[h + 1]; q < e; q += L) {
                IntVector iv = IntVector.fromArray(IS, vOff, q).add(sv);
                iv.intoArray(idx, 0);
                FloatVector acc = FloatVector.fromArray(FS, r2, 0, idx, 0).add(FloatVector.fromArray(FS, vW, q));
                acc.intoArray(r2, 0, idx, 0);
            }
        }
        for (int k = 0; k < NOUT; k++) {
            int a = k * R2 + slot;
            out[k] = r2[a];
            r2[a] = 0f;
        }
        t++;
    }

    final int[] scratchIdx = new int[IS.length()];
}
