package org.myelin.bench;

import java.util.concurrent.TimeUnit;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A peak single-precision FLOP probe: {@value #ACC} independent FMA chains kept in registers, each
 * {@code acc = acc·a + b} on {@link FloatVector#SPECIES_PREFERRED}, repeated {@value #INNER} times
 * per operation. Twelve chains cover FMA latency (4 cycles) × throughput (2 pipes of 256 bits on
 * Zen 4; one 512-bit FMA per cycle) with room to spare.
 *
 * <p>Conversion (score in ops/s, summed over threads by JMH):
 * <pre>
 *   vector: FLOP per op = ACC × lanes × 2 × INNER = 12 × L × 2 × 4096   (L = 16 at 512 bits → 1 572 864)
 *   scalar: FLOP per op = ACC × 2 × INNER         = 12 × 2 × 4096        (98 304)
 *   GFLOP/s = score × FLOP per op / 1e9
 * </pre>
 * The lane count is printed at setup. {@code vector1} runs on one thread, {@code vector2} on two
 * (one per core on the reference machine); {@code scalar1} is {@link Math#fma} on floats for reference.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PeakFlopsBenchmark {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    public static final int ACC = 12;
    public static final int INNER = 4096;

    /** Per-thread multiplier and addend, read from fields so the JIT cannot fold the chains. */
    @State(Scope.Thread)
    public static class Operands {
        public float a = 0.999_999f;
        public float b = 1e-7f;
        public float seed = 0.5f;

        @Setup(Level.Trial)
        public void report() {
            System.out.println("\n[setup] species " + S + ", lanes " + S.length()
                    + ", vector FLOP/op " + (long) ACC * S.length() * 2 * INNER + ", scalar FLOP/op " + (long) ACC * 2 * INNER);
        }
    }

    static float vectorChains(Operands o) {
        FloatVector a = FloatVector.broadcast(S, o.a);
        FloatVector b = FloatVector.broadcast(S, o.b);
        FloatVector c0 = FloatVector.broadcast(S, o.seed), c1 = c0.add(b), c2 = c1.add(b), c3 = c2.add(b);
        FloatVector c4 = c3.add(b), c5 = c4.add(b), c6 = c5.add(b), c7 = c6.add(b);
        FloatVector c8 = c7.add(b), c9 = c8.add(b), c10 = c9.add(b), c11 = c10.add(b);
        for (int i = 0; i < INNER; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
        }
        FloatVector s = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11);
        return s.reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    @Threads(1)
    public float vector1(Operands o) {
        return vectorChains(o);
    }

    @Benchmark
    @Threads(2)
    public float vector2(Operands o) {
        return vectorChains(o);
    }

    @Benchmark
    @Threads(1)
    public float scalar1(Operands o) {
        float a = o.a, b = o.b;
        float c0 = o.seed, c1 = c0 + b, c2 = c1 + b, c3 = c2 + b, c4 = c3 + b, c5 = c4 + b;
        float c6 = c5 + b, c7 = c6 + b, c8 = c7 + b, c9 = c8 + b, c10 = c9 + b, c11 = c10 + b;
        for (int i = 0; i < INNER; i++) {
            c0 = Math.fma(c0, a, b); c1 = Math.fma(c1, a, b); c2 = Math.fma(c2, a, b); c3 = Math.fma(c3, a, b);
            c4 = Math.fma(c4, a, b); c5 = Math.fma(c5, a, b); c6 = Math.fma(c6, a, b); c7 = Math.fma(c7, a, b);
            c8 = Math.fma(c8, a, b); c9 = Math.fma(c9, a, b); c10 = Math.fma(c10, a, b); c11 = Math.fma(c11, a, b);
        }
        return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
    }
}
