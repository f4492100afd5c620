package org.myelin.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.myelin.kernel.KernelOps;
import org.myelin.kernel.KernelProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The kernel primitives, scalar against vector, single-threaded, at the paper's sizes
 * (B = 256, T = 80, Td = 25, so a row is T·B = 20 480 values and a padded source row (T + Td)·B).
 *
 * <p>{@code shape} for gather and correlate:
 * <ul>
 *   <li>{@code 1x26}: one output row, the 26 taps of one synapse (one presynaptic row shifted by
 *       0..Td steps) — the CSR gauss unit of work;</li>
 *   <li>{@code 1x1040}: one output row, 40 presynaptic rows × 26 taps — a CSR postsynaptic row at
 *       density 1 (CsrSynapses.forward);</li>
 *   <li>{@code 4x1040}: four output rows sharing the same 1040 source rows — the register-blocked
 *       dense layer-1 block (DenseSynapses.forward);</li>
 *   <li>{@code 5x1040}: five rows — correlate's 5 × 5 block, the dense weight gradient's unit.</li>
 * </ul>
 * FLOP per op for gather/correlate = 2 × rows × count × 20 480. {@code lif*} is one neuron over
 * T = 80 steps and B = 256 lanes (20 480 values, ~5 FLOP each).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelOpsBenchmark {
    static final int B = 256, T = 80, TD = 25, TAPS = TD + 1, PRE = 40;
    static final int LEN = T * B, STRIDE = (T + TD) * B;

    @Param({"vector", "scalar"})
    public String impl;

    @Param({"1x26", "1x1040", "4x1040", "5x1040"})
    public String shape;

    private KernelOps ops;
    private int rows, count;
    private float[] src, coef, dst, a, out;
    private int[] off;
    private float[] in, u, s, dS, dIn;

    @Setup(Level.Trial)
    public void setup() {
        ops = impl.equals("vector") ? KernelProvider.vector() : KernelProvider.scalar();
        SplittableRandom rnd = new SplittableRandom(7);
        rows = Integer.parseInt(shape.substring(0, shape.indexOf('x')));
        count = Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
        int sources = Math.max(1, count / TAPS);
        src = random(sources * STRIDE, rnd);
        off = new int[count];
        for (int k = 0; k < count; k++) off[k] = (k / TAPS) * STRIDE + (TD - k % TAPS) * B;
        coef = random(rows * count, rnd);
        dst = new float[rows * LEN];
        a = random(rows * STRIDE, rnd);
        out = new float[rows * count];
        in = new float[LEN];
        for (int i = 0; i < LEN; i++) in[i] = (float) (rnd.nextGaussian() * 0.6 + 0.15);
        u = new float[LEN];
        s = new float[LEN];
        ops.lifForward(T, B, 0.9f, 1f, in, 0, 1f, 0f, u, 0, null, 0, s, 0);
        dS = random(LEN, rnd);
        dIn = new float[LEN];
    }

    private static float[] random(int n, SplittableRandom rnd) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rnd.nextDouble() * 2 - 1);
        return v;
    }

    @Benchmark
    public float[] gather() {
        ops.gather(rows, count, 0, LEN, coef, 0, count, src, off, 0, dst, 0, LEN, false);
        return dst;
    }

    @Benchmark
    public float[] correlate() {
        ops.correlate(rows, count, LEN, a, 0, STRIDE, src, off, 0, out, 0, count);
        return out;
    }

    /** The same outputs as {@link #correlate}, one tap correlation per (row, presynaptic row) pair. */
    @Benchmark
    public float[] correlateTaps() {
        int sources = count / TAPS;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < sources; j++) ops.correlateTaps(TAPS, T, B, a, r * STRIDE, src, j * STRIDE, out, r * count + j * TAPS);
        }
        return out;
    }

    @Benchmark
    public float[] lifForward() {
        ops.lifForward(T, B, 0.9f, 1f, in, 0, 1f, 0f, u, 0, null, 0, s, 0);
        return s;
    }

    @Benchmark
    public float[] lifBackward() {
        ops.lifBackward(T, B, 0.9f, 1f, 5f, dS, 0, null, 0, u, 0, dIn, 0);
        return dIn;
    }
}
